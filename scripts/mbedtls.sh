#!/bin/sh
# Provides mbedTLS 3.6 LTS to the build and writes DIR/mbedtls.mk for the Makefile.
#
# A host that already has mbedTLS >= 3.6 (headers and libmbedcrypto) uses it.
# Otherwise (Debian 12 ships 2.28, end-of-life), the source package of Debian's
# current stable release is fetched through a private apt configuration under
# DIR/apt (source-only entries, the host's apt setup untouched, apt's signature
# checks on), unpacked with dpkg-source (Debian's patches applied) and built
# statically with Sceau's own configuration header.
#
# usage: scripts/mbedtls.sh DIR CONFIG_HEADER
set -eu

dir=$1
config=$2
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
mk="$dir/mbedtls.mk"

version_of() { # prints MBEDTLS_VERSION_NUMBER from a build_info.h
	sed -n 's/^#define MBEDTLS_VERSION_NUMBER *\(0x[0-9A-Fa-f]*\).*/\1/p' "$1"
}

host_h=/usr/include/mbedtls/build_info.h
if [ -f "$host_h" ] && [ $(($(version_of "$host_h"))) -ge $((0x03060000)) ] &&
	ls /usr/lib/*/libmbedcrypto.so >/dev/null 2>&1; then
	printf 'MBEDTLS_CFLAGS :=\nMBEDTLS_LIBS := -lmbedcrypto\n' > "$mk"
	touch "$dir/.ok"
	echo "mbedTLS: using the host's $(version_of "$host_h")"
	exit 0
fi

stamp="$dir/stamp"
want="$(sha256sum "$config" "$0" | sha256sum | cut -c1-64)"
if [ -f "$dir/lib/libmbedcrypto.a" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
	exit 0
fi

src="$dir/src"
if ! ls -d "$src"/mbedtls-3.6.* >/dev/null 2>&1; then
	apt_dir="$dir/apt"
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" \
		"$apt_dir/sources.list.d" "$apt_dir/preferences.d" "$src"
	keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	cat > "$apt_dir/sources.list" <<SRC
deb-src [signed-by=$keyring] http://deb.debian.org/debian stable main
deb-src [signed-by=$keyring] http://deb.debian.org/debian-security stable-security main
SRC
	cat > "$apt_dir/apt.conf" <<CONF
Dir::Etc::sourcelist "$apt_dir/sources.list";
Dir::Etc::sourceparts "$apt_dir/sources.list.d";
Dir::Etc::preferencesparts "$apt_dir/preferences.d";
Dir::State::Lists "$apt_dir/lists";
Dir::Cache "$apt_dir/cache";
APT::Sandbox::User "root";
CONF
	export APT_CONFIG="$apt_dir/apt.conf"
	echo "mbedTLS: fetching the source package of Debian stable"
	apt-get update -q
	(cd "$src" && apt-get source -q mbedtls)
	unset APT_CONFIG
fi
tree=$(ls -d "$src"/mbedtls-3.6.* | sort -V | tail -n 1)
[ -n "$tree" ] && [ -d "$tree/library" ] || {
	echo "mbedTLS: Debian stable's source is not 3.6 LTS (found: $(ls "$src"))" >&2
	exit 1
}
echo "mbedTLS: building $(basename "$tree") (static, Sceau's config)"
mkdir -p "$dir/include" "$dir/lib"
cp "$config" "$dir/include/sceau_mbedtls_config.h"
make -s -C "$tree/library" clean >/dev/null
make -s -C "$tree/library" -j"$(nproc)" libmbedcrypto.a \
	CFLAGS="-O2 -g -fPIC -I$dir/include -DMBEDTLS_CONFIG_FILE='<sceau_mbedtls_config.h>'"
cp "$tree/library/libmbedcrypto.a" "$dir/lib/"
rm -rf "$dir/include/mbedtls" "$dir/include/psa"
cp -r "$tree/include/mbedtls" "$tree/include/psa" "$dir/include/"
cat > "$mk" <<MK
MBEDTLS_CFLAGS := -isystem $dir/include -DMBEDTLS_CONFIG_FILE='<sceau_mbedtls_config.h>'
MBEDTLS_LIBS := $dir/lib/libmbedcrypto.a
MK
echo "$want" > "$stamp"
touch "$dir/.ok"
