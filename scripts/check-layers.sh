#!/bin/bash
# The layer check (docs/ARCHITECTURE.md): every #include "module/…" of a
# firmware file must point to its own module or to one the matrix below
# allows, so that dependencies only run down:
#   main → session, console → {verify, pv, print, count, store, media, card}
#        → format → crypto → lib
# and sim/ (simulated devices) is reached by nothing of the box's own code.
# Only crypto/ may include a cryptographic library's headers.
#
# usage: scripts/check-layers.sh [ROOT]   (ROOT defaults to the repository)
# Prints each violation as FILE:LINE: module -> module, exits 1 if any.
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root/firmware" || exit 2

# module: the modules it may include besides itself.
allowed() {
	case $1 in
	lib)     echo "" ;;
	crypto)  echo "lib" ;;
	format)  echo "crypto lib" ;;
	card)    echo "format crypto lib" ;;
	media)   echo "format crypto lib" ;;
	store)   echo "format crypto lib" ;;
	count)   echo "format crypto lib" ;;
	pv)      echo "count format crypto lib" ;;
	print)   echo "pv format crypto lib" ;;
	verify)  echo "pv count store media format crypto lib" ;;
	ui)      echo "card print store media format crypto lib" ;;
	sim)     echo "card print format crypto lib" ;;
	session) echo "ui verify pv print count store media card format crypto lib" ;;
	console) echo "session ui verify pv print count store media card format crypto lib" ;;
	main)    echo "console session ui verify pv print count store media card format crypto lib" ;;
	*)       echo "?" ;;
	esac
}

bad=0
files=$(find . -name '*.[ch]' | sed 's#^\./##' | sort)
for f in $files; do
	case $f in
	*/*) mod=${f%%/*} ;;
	*) mod=main ;;
	esac
	ok=$(allowed "$mod")
	if [ "$ok" = "?" ]; then
		echo "$f: module '$mod' is not in the layer matrix (scripts/check-layers.sh)"
		bad=1
		continue
	fi
	while IFS=: read -r line inc; do
		to=${inc%%/*}
		[ "$to" = "$inc" ] && continue # same-directory include
		[ "$to" = "$mod" ] && continue
		case " $ok " in *" $to "*) continue ;; esac
		echo "firmware/$f:$line: $mod -> $to ($inc)"
		bad=1
	done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p;=' "$f" |
		sed -n 'N;s/^\(.*\)\n\([0-9]*\)$/\2:\1/p;D' 2>/dev/null)
	if [ "$mod" != crypto ] &&
	   grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*<(mbedtls|psa|openssl)/' "$f" >/dev/null; then
		grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*<(mbedtls|psa|openssl)/' "$f" |
			sed "s#^#firmware/$f:#; s#\$# (only crypto/ calls a cryptographic library)#"
		bad=1
	fi
done
[ $bad = 0 ] && echo "layers: every include points down"
exit $bad
