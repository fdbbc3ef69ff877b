#!/bin/bash
# Two builds of the image from the same commit and lock file give the same
# bytes (docs/REPRODUCIBLE.md): the commit SCEAU_IMAGE was built from (its
# .commit file beside it, or SCEAU_IMAGE_COMMIT) is cloned elsewhere
# (another path, another build directory), `make image` runs there from
# scratch, and its ISO must equal SCEAU_IMAGE byte for byte. The comparison is shown to
# catch a single changed byte. Only mbedTLS's build and the package cache
# (every .deb checked by apt against the signed index again) are shared.
. tests/image/lib.sh
trap 'rm -rf "$W"' EXIT
board=${SCEAU_IMAGE_BOARD:-pc-x86_64}
name=$(basename "$IMG")

commit=${SCEAU_IMAGE_COMMIT:-$(cat "$IMG.commit" 2>/dev/null || echo HEAD)}
case $commit in *-dirty)
	fail "$IMG was built from a tree with uncommitted changes: commit, then make image" ;;
esac
git clone -q --no-hardlinks . "$W/tree"
git -C "$W/tree" checkout -q "$commit" || fail "no commit $commit"
mkdir -p "$W/tree/build/images"
ln -s "$(realpath build/mbedtls)" "$W/tree/build/mbedtls"
cache=$(dirname "$IMG")/debs-$(. "board/$board/image.conf"; echo "$IMAGE_ARCH")
[ -d "$cache" ] && cp -r "$cache" "$W/tree/build/images/"
start=$SECONDS
make -C "$W/tree" image BOARD="$board" > "$W/build.log" 2>&1 ||
	fail "the second build failed: $(tail -n 20 "$W/build.log")"
echo "second build from scratch: $((SECONDS - start)) s"
if ! cmp "$IMG" "$W/tree/build/images/$name"; then
	cmp -l "$IMG" "$W/tree/build/images/$name" | head -n 5
	fail "two builds of the same commit differ"
fi
echo "identical: $(sha256sum "$IMG" | cut -d' ' -f1)"

# The comparison itself catches one changed byte.
cp "$IMG" "$W/changed.iso"
printf '\x5a' | dd of="$W/changed.iso" bs=1 seek=$(( $(stat -c %s "$IMG") / 2 )) conv=notrunc 2>/dev/null
if cmp -s "$IMG" "$W/changed.iso"; then fail "a changed byte was not caught"; fi
echo "a changed byte is caught"
