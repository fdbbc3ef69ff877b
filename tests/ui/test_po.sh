#!/bin/bash
# The English catalogue (po/en.po) against the three tables of texts (the
# bureau's messages, the PV, the verifier): every French msgid of each table
# (with its context, if any) has an English translation, the catalogue holds
# no other msgid, nothing is fuzzy or empty, and the printf formats agree
# (msgfmt --check-format on the c-format entries; every entry with a
# conversion must be flagged c-format). The built English catalogue makes
# the command line speak English even in an empty environment.
set -euo pipefail
B=$SCEAU_BUILD
W=$(mktemp -d /tmp/sceau-po-XXXXXX)
trap 'rm -rf "$W"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

TABLES="firmware/ui/msg_table.h firmware/pv/text_table.h firmware/verify/verify_msg_table.h"
KEYWORDS="-k -kMSG_ID:2 -kPV_TXT:2 -kVMSG:2 -kI18N_CTXT:1c,2"
# shellcheck disable=SC2086
xgettext --from-code=UTF-8 --language=C $KEYWORDS -o "$W/sceau.pot" $TABLES 2>/dev/null
n=$(grep -c '^msgid "' "$W/sceau.pot")
[ "$n" -gt 500 ] || fail "only $n msgids extracted from the tables"
for t in $TABLES; do
	# shellcheck disable=SC2086
	xgettext --from-code=UTF-8 --language=C $KEYWORDS -o "$W/one.pot" "$t" 2>/dev/null
	k=$(grep -c '^msgid "' "$W/one.pot")
	[ "$k" -gt 100 ] || fail "only $k msgids extracted from $t"
	# (msgcmp warns about every catalogue entry of the other tables)
	if ! msgcmp po/en.po "$W/one.pot" 2>"$W/cmp"; then
		grep -v "this message is not used" "$W/cmp" >&2
		fail "a text of $t has no English translation"
	fi
done
grep -q '^msgctxt "heading"' "$W/sceau.pot" || fail "the contexts (I18N_CTXT) were not extracted"
msgcmp --use-untranslated "$W/sceau.pot" po/en.po || fail "po/en.po has a msgid no table has"
msgfmt --check --statistics -o "$W/en.mo" po/en.po 2> "$W/stats" || fail "$(cat "$W/stats")"
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
