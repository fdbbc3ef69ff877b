#!/bin/bash
# The English catalogue (po/en.po) against the message table: every French
# msgid of firmware/ui/msg_table.h has an English translation, the catalogue
# holds no other msgid, nothing is fuzzy or empty, and the printf formats
# agree (msgfmt --check-format on the c-format entries; every entry with a
# conversion must be flagged c-format). The built English catalogue makes
# the command line speak English even in an empty environment.
set -euo pipefail
B=$SCEAU_BUILD
W=$(mktemp -d /tmp/sceau-po-XXXXXX)
trap 'rm -rf "$W"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

xgettext --from-code=UTF-8 --language=C -k -kMSG_ID:2 \
	-o "$W/sceau.pot" firmware/ui/msg_table.h 2>/dev/null
n=$(grep -c '^msgid "' "$W/sceau.pot")
[ "$n" -gt 100 ] || fail "only $n msgids extracted from the table"
msgcmp po/en.po "$W/sceau.pot" 2>"$W/cmp" || fail "a message of the table has no English translation"
msgcmp --use-untranslated "$W/sceau.pot" po/en.po || fail "po/en.po has a msgid the table lacks"
msgfmt --check --statistics -o "$W/en.mo" po/en.po 2> "$W/stats"
grep -q "untranslated\|fuzzy" "$W/stats" && fail "$(cat "$W/stats")"
[ -z "$(msgattrib --only-fuzzy --no-obsolete po/en.po)" ] || fail "fuzzy entries"
# xgettext flags the table's entries with a conversion as c-format; the
# catalogue must flag them too, or msgfmt would not compare the formats.
want=$(grep -c '^#, c-format' "$W/sceau.pot")
have=$(msgcat --no-wrap po/en.po | grep -c '^#, c-format')
[ "$want" = "$have" ] || fail "$want c-format entries in the table, $have in po/en.po"
# A deliberately broken format is caught (the check can fail).
sed 's/^msgstr "%s: identical, byte for byte"$/msgstr "%u: identical"/' po/en.po > "$W/bad.po"
cmp -s po/en.po "$W/bad.po" && fail "the broken catalogue was not made"
if msgfmt --check -o /dev/null "$W/bad.po" 2>/dev/null; then
	fail "msgfmt accepted a format mismatch"
fi

# English in an empty environment (no locale generated: C.UTF-8 is used).
out=$(env -i LANG=en_GB.UTF-8 "$B/sceau" selftest 2>/dev/null || true)
echo "$out" | grep -q "Cryptographic self-tests passed" || fail "LANG=en: not English: $out"
out=$(env -i LC_ALL=C LANGUAGE=en "$B/sceau" selftest 2>/dev/null || true)
echo "$out" | grep -q "Cryptographic self-tests passed" || fail "LANGUAGE=en with LC_ALL=C: $out"
out=$(env -i "$B/sceau" selftest 2>/dev/null || true)
echo "$out" | grep -q "Auto-tests cryptographiques réussis" || fail "no LANG: not French: $out"
out=$(env -i LANG=C "$B/sceau" selftest 2>/dev/null || true)
echo "$out" | grep -q "Auto-tests cryptographiques réussis" || fail "LANG=C: not French: $out"
echo "$n messages, all translated, formats checked"
