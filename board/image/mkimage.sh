#!/bin/bash
# The box image (docs/DESIGN.md "The box image", docs/BOX.md): a hybrid ISO
# that boots from a USB stick or a DVD, BIOS and UEFI, made from Debian 12
# packages by existing tools only (mmdebstrap, squashfs-tools, GRUB, mtools,
# dosfstools, xorriso). The same recipe serves every board; what differs
# (architecture, kernel, boot loaders) is in board/<box>/image.conf.
#
#   board/image/mkimage.sh BOARD BUILD_DIR OUT_DIR          build the image
#   board/image/mkimage.sh --lock BOARD BUILD_DIR OUT_DIR   rewrite the lock
#
# BUILD_DIR holds the box's sceau, sceau-init, locale/ and the mbedTLS they
# were linked with, mbedtls/ (made by `make image`). The package set is pinned by board/<box>/packages.lock: the host
# tools that shape the bytes and every package of the image, exact versions,
# checked at every build (docs/REPRODUCIBLE.md). SOURCE_DATE_EPOCH (the
# commit's date, set by the Makefile) is the only clock the image sees.
set -euo pipefail

mode=build
if [ "${1:-}" = --lock ]; then
	mode=lock
	shift
fi
[ $# -eq 3 ] || { echo "usage: $0 [--lock] BOARD BUILD_DIR OUT_DIR" >&2; exit 2; }
BOARD=$1
BUILD=$(realpath "$2")
OUT=$(realpath -m "$3")
TOP=$(realpath "$(dirname "$0")/../..")
HERE=$TOP/board/image
CONF=$TOP/board/$BOARD/image.conf
LOCK=$TOP/board/$BOARD/packages.lock
[ -f "$CONF" ] || { echo "mkimage: no $CONF: board $BOARD has no image" >&2; exit 2; }
# shellcheck source=../pc-x86_64/image.conf
. "$CONF"
: "${SOURCE_DATE_EPOCH:?set SOURCE_DATE_EPOCH (make image sets it from the commit)}"
export SOURCE_DATE_EPOCH LC_ALL=C.UTF-8 TZ=UTC

WORK=$OUT/$BOARD.work
ROOT=$WORK/root
ISO=$WORK/iso
NAME=sceau-$BOARD
CACHE=$OUT/debs-$IMAGE_ARCH
MARKER=sceau-$BOARD
CMDLINE="boot=live live-media-path=/live nopersistence init=/usr/sbin/sceau-init panic=10"
CMDLINE="$CMDLINE quiet loglevel=3 sysctl.kernel.sysrq=0 sysctl.kernel.ctrl-alt-del=0"

# The build host's packages whose versions shape the image's bytes, besides
# the board's boot loaders (IMAGE_HOST_PACKAGES): the image tools, and the
# compiler and libraries that build the box's programs.
HOST_PACKAGES="mmdebstrap squashfs-tools xorriso mtools dosfstools gcc-12 binutils
libc6-dev libjansson-dev libsqlite3-dev libarchive-dev libcairo2-dev libfreetype-dev
libqrencode-dev libusb-1.0-0-dev libnfc-dev libncurses-dev"

say() { printf 'mkimage: %s\n' "$*"; }
die() { printf 'mkimage: %s\n' "$*" >&2; exit 1; }

# --- the lock -----------------------------------------------------------------
# "host NAME VERSION": a tool or library of the build host whose version
# shapes the image's bytes; "image NAME VERSION": a package of the image.
lock_section() { awk -v s="$1" '$1 == s { print $2, $3 }' "$LOCK"; }

host_versions() {
	local p
	for p in "$@"; do
		printf '%s %s\n' "$p" "$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || echo absent)"
	done
}

mbedtls_version() { # the Debian source package scripts/mbedtls.sh built
	local dsc
	dsc=$(ls "$BUILD"/mbedtls/src/*.dsc 2>/dev/null | head -n 1)
	[ -n "$dsc" ] && basename "$dsc" .dsc | sed 's/^mbedtls_/mbedtls-source /' ||
		echo "mbedtls-source host"
}

check_host() {
	local want have
	want=$(lock_section host | sort)
	have=$( { host_versions $(lock_section host | awk '$1 != "mbedtls-source" { print $1 }');
		mbedtls_version; } | sort)
	if [ "$want" != "$have" ]; then
		echo "mkimage: the build host's tools differ from $LOCK:" >&2
		diff <(echo "$want") <(echo "$have") | sed -n 's/^</  locked:   /p; s/^>/  installed:/p' >&2
		die "install the locked versions, or see docs/REPRODUCIBLE.md (\"When the mirror moved\")"
	fi
}

# --- the root file system -----------------------------------------------------
# A build killed inside mmdebstrap leaves its chroot's mounts (proc, sys,
# dev/pts, dev/shm) under the work directory: unmount them before removing
# it, and never remove across a file system boundary.
clear_work() {
	local m
	[ -d "$WORK" ] || return 0
	awk -v w="$(realpath "$WORK")/" 'index($2 "/", w) == 1 { print $2 }' /proc/mounts |
		sort -r | while read -r m; do umount -l "$m" || die "cannot unmount $m"; done
	rm -rf --one-file-system "$WORK"
}

make_root() {
	local pkgs
	pkgs=$(sed 's/#.*//' "$HERE/packages" | tr -s ' \n' ',' | sed 's/^,//; s/,$//')
	pkgs="$pkgs,$IMAGE_KERNEL"
	clear_work
	mkdir -p "$CACHE" "$WORK"
	say "root file system (mmdebstrap, $IMAGE_SUITE $IMAGE_ARCH)"
	# The customize hook runs inside mmdebstrap, with the chroot set up.
	export SCEAU_BUILD=$BUILD SCEAU_HERE=$HERE SCEAU_LOCK=$LOCK SCEAU_MODE=$mode \
		SCEAU_LOCK_OUT=$WORK/image.lock
	mmdebstrap --variant=minbase --architectures="$IMAGE_ARCH" --include="$pkgs" \
		--format=directory --skip=essential/unlink \
		--dpkgopt='path-exclude=/usr/share/man/*' \
		--dpkgopt='path-exclude=/usr/share/doc/*' \
		--dpkgopt='path-include=/usr/share/doc/*/copyright' \
		--dpkgopt='path-exclude=/usr/share/info/*' \
		--dpkgopt='path-exclude=/usr/share/locale/*' \
		--dpkgopt='path-exclude=/usr/share/lintian/*' \
		--setup-hook='mkdir -p "$1"/var/cache/apt/archives/' \
		--setup-hook="sync-in '$CACHE' /var/cache/apt/archives/" \
		--customize-hook="sync-out /var/cache/apt/archives '$CACHE'" \
		--customize-hook='"$SCEAU_HERE"/customize.sh "$1"' \
		"$IMAGE_SUITE" "$ROOT" \
		"deb http://deb.debian.org/debian $IMAGE_SUITE main" \
		"deb http://deb.debian.org/debian $IMAGE_SUITE-updates main" \
		"deb http://deb.debian.org/debian-security $IMAGE_SUITE-security main"
}

# What mmdebstrap leaves that is not the box: caches, logs, the build
# host's name and resolver, every shell, login program and getty (nothing
# of the box runs them: board/image/init.c starts the console directly).
strip_root() {
	local f
	rm -rf "$ROOT"/var/cache/* "$ROOT"/var/log/* "$ROOT"/var/lib/apt/lists/* \
		"$ROOT"/var/lib/dpkg/*-old "$ROOT"/etc/*- "$ROOT"/tmp/* "$ROOT"/run/* \
		"$ROOT"/etc/hostname "$ROOT"/etc/resolv.conf "$ROOT"/etc/hosts \
		"$ROOT"/etc/network "$ROOT"/etc/machine-id "$ROOT"/var/lib/dbus
	for f in $(sed 's/#.*//' "$HERE/removed"); do
		rm -f "$ROOT/usr/$f" "$ROOT/$f"
	done
	mkdir -p "$ISO/live"
	mv "$ROOT"/boot/vmlinuz-* "$ISO/live/vmlinuz"
	mv "$ROOT"/boot/initrd.img-* "$ISO/live/initrd.img"
	rm -rf "$ROOT"/boot/* "$ROOT"/vmlinuz* "$ROOT"/initrd.img*
}

# --- boot loaders -------------------------------------------------------------
grub_cfg() {
	sed -e "s|@CMDLINE@|$CMDLINE|" -e "s|@MARKER@|$MARKER|" "$HERE/grub.cfg"
}

# The early configuration embedded in each GRUB image: lock GRUB first,
# then find the medium by its marker and read its grub.cfg.
grub_early() {
	printf 'set superusers="sceau"\nsearch --no-floppy --set=root --file /live/%s\n' "$MARKER"
	printf 'set prefix=($root)/boot/grub\nconfigfile /boot/grub/grub.cfg\n'
}

make_boot() {
	local mods="normal configfile search search_fs_file linux echo test part_msdos part_gpt iso9660"
	mkdir -p "$ISO/boot/grub" "$WORK/efi/EFI/BOOT"
	grub_cfg > "$ISO/boot/grub/grub.cfg"
	grub_early > "$WORK/early.cfg"
	: > "$ISO/live/$MARKER"
	if [ -n "$IMAGE_GRUB_BIOS" ]; then
		grub-mkimage -O i386-pc-eltorito -d "/usr/lib/grub/$IMAGE_GRUB_BIOS" \
			-p /boot/grub -c "$WORK/early.cfg" -o "$ISO/boot/grub/bios.img" \
			$mods biosdisk
	fi
	grub-mkimage -O "$IMAGE_GRUB_EFI" -d "/usr/lib/grub/$IMAGE_GRUB_EFI" \
		-p /boot/grub -c "$WORK/early.cfg" -o "$WORK/efi/EFI/BOOT/$IMAGE_EFI_FILE" \
		$mods fat efi_gop all_video
	touch -d "@$SOURCE_DATE_EPOCH" "$WORK/efi/EFI/BOOT/$IMAGE_EFI_FILE"
	rm -f "$ISO/boot/grub/efi.img"
	mkfs.fat --invariant -C -n SCEAUEFI "$ISO/boot/grub/efi.img" 4096 >/dev/null
	mmd -i "$ISO/boot/grub/efi.img" ::/EFI ::/EFI/BOOT
	mcopy -m -i "$ISO/boot/grub/efi.img" "$WORK/efi/EFI/BOOT/$IMAGE_EFI_FILE" \
		"::/EFI/BOOT/$IMAGE_EFI_FILE"
}

# --- the image ----------------------------------------------------------------
make_squashfs() {
	say "squashfs ($IMAGE_SQUASHFS_COMP)"
	mksquashfs "$ROOT" "$ISO/live/filesystem.squashfs" -noappend -quiet -no-progress \
		-comp $IMAGE_SQUASHFS_COMP -no-xattrs -reproducible
	# (mksquashfs takes SOURCE_DATE_EPOCH as the file system's time and
	# every file's.)
}

make_iso() {
	local date bios=()
	date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y%m%d%H%M%S00)
	find "$ISO" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
	if [ -n "$IMAGE_GRUB_BIOS" ]; then
		bios=(--grub2-mbr "/usr/lib/grub/$IMAGE_GRUB_BIOS/boot_hybrid.img"
		      -b boot/grub/bios.img -no-emul-boot -boot-load-size 4 -boot-info-table
		      --grub2-boot-info)
	fi
	say "ISO (xorriso)"
	rm -f "$OUT/$NAME.iso"
	xorriso -as mkisofs -o "$OUT/$NAME.iso" -V SCEAU -R -r -l -iso-level 3 \
		--modification-date="$date" \
		"${bios[@]}" \
		--efi-boot boot/grub/efi.img -efi-boot-part --efi-boot-image \
		--protective-msdos-label \
		"$ISO" 2>"$WORK/xorriso.log" || { cat "$WORK/xorriso.log" >&2; die "xorriso failed"; }
}

# The running box fingerprints itself by hashing its boot medium over the
# size its ISO 9660 volume declares (firmware/media/boot_medium.c): the
# image must end exactly there.
check_size() {
	local blocks size
	blocks=$(od -An -t u4 -j $((16 * 2048 + 80)) -N 4 "$OUT/$NAME.iso" | tr -d ' ')
	size=$(stat -c %s "$OUT/$NAME.iso")
	[ $((blocks * 2048)) -eq "$size" ] ||
		die "the ISO is $size bytes but its volume declares $((blocks * 2048))"
}

mkdir -p "$OUT"
if [ $mode = build ]; then
	[ -f "$LOCK" ] || die "no $LOCK: make image-lock BOARD=$BOARD first"
	check_host
fi
for f in sceau sceau-init locale/en/LC_MESSAGES/sceau.mo; do
	[ -f "$BUILD/$f" ] || die "$BUILD/$f is missing (make image builds it)"
done
# MKIMAGE_FROM=boot reuses the root of the last run (a developer's aid
# when changing the boot loader or the ISO; never for an image handed out).
if [ "${MKIMAGE_FROM:-}" != boot ]; then
clear_work
make_root
if [ $mode = lock ]; then
	{
		echo "# The package set of the $BOARD image (docs/REPRODUCIBLE.md), made by"
		echo "# \`make image-lock BOARD=$BOARD\`. host: the build host's tools and"
		echo "# libraries that shape the image's bytes; image: every package in it."
		host_versions $HOST_PACKAGES $IMAGE_HOST_PACKAGES | sort | sed 's/^/host /'
		mbedtls_version | sed 's/^/host /'
		sed 's/^/image /' "$WORK/image.lock"
	} > "$LOCK"
	say "wrote $LOCK"
fi
strip_root
fi
make_boot
make_squashfs
make_iso
check_size
( cd "$OUT" && sha256sum "$NAME.iso" > "$NAME.iso.sha256" )
say "$OUT/$NAME.iso"
say "fingerprint $(cut -d' ' -f1 "$OUT/$NAME.iso.sha256")"
