#!/bin/bash
# docs/ARCHITECTURE.md against the tree: every path it names exists (a
# firmware path, a bare file name in a module's section, tools/, tests/ …);
# every firmware directory has its section and every firmware .c/.h file is
# in the module map; its layer matrix is scripts/check-layers.sh's and its
# phases are session/phase.c's, in order. Then the same check is shown to
# fail on planted faults: a path that does not exist, a file of another
# module, a firmware directory or a file the map leaves out, a changed
# matrix, a missing phase. SCEAU_ARCH_DOC checks another copy of the doc.
set -euo pipefail
fail() { echo "FAIL: $*" >&2; exit 1; }
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$W"' EXIT

# check ROOT DOC: prints what does not match and exits 1, or exits 0.
check() {
	/usr/bin/python3 - "$1" "$2" <<'PY'
import os, re, sys

root, doc_path = sys.argv[1], sys.argv[2]
fw = os.path.join(root, "firmware")
doc = open(doc_path, encoding="utf-8").read()
mods = sorted(d for d in os.listdir(fw) if os.path.isdir(os.path.join(fw, d)))
bad = []

def files_of(mod):
    return sorted(f for f in os.listdir(os.path.join(fw, mod))
                  if os.path.isfile(os.path.join(fw, mod, f)))

# Inline code spans, each with the module section ("### `mod/`") it is in.
spans, section = [], None
for line in doc.split("\n"):
    m = re.match(r"#+ ", line)
    if m:
        h = re.match(r"### `(\w+)/`", line)
        section = h.group(1) if h else None
    for t in re.findall(r"`([^`\n]+)`", line):
        spans.append((t.strip(), section))

TOP = ("tools/", "tests/", "board/", "scripts/", "docs/", "po/", "examples/",
       "ceremony/")
BARE = re.compile(r"^([\w-]+\.[ch]|Kconfig(\.\w+)?|Build\.mk|[\w-]+\.(sh|py|po|md))$")
everywhere = set()
for top in ("firmware", "tools", "tests", "scripts", "po", "docs"):
    for d, _, fs in os.walk(os.path.join(root, top)):
        everywhere.update(fs)

named = set()   # firmware files the map names: "mod/file"
for t, sec in spans:
    if re.search(r"[<>*…$( ]", t):
        continue
    p = t[len("firmware/"):] if t.startswith("firmware/") else t
    head = p.split("/")[0]
    if "/" in p and head in mods:
        if not os.path.exists(os.path.join(fw, p)):
            bad.append(f"names firmware/{p}, which does not exist")
        named.add(p)
    elif "/" in p and head + "/" in TOP:
        if not os.path.exists(os.path.join(root, p)):
            bad.append(f"names {p}, which does not exist")
    elif p == "main.c":
        named.add("main.c")
    elif BARE.match(p):
        if sec:
            if not os.path.exists(os.path.join(fw, sec, p)):
                bad.append(f"section {sec}/ names {p}, which is not in firmware/{sec}/")
            named.add(f"{sec}/{p}")
        elif p not in everywhere:
            bad.append(f"names {p}, which is nowhere in the tree")

for mod in mods:
    if f"### `{mod}/`" not in doc:
        bad.append(f"firmware directory {mod}/ is missing (no section ### `{mod}/`)")
        continue
    for f in files_of(mod):
        if re.search(r"\.[ch]$", f) and f"{mod}/{f}" not in named:
            bad.append(f"firmware/{mod}/{f} is not in the module map")
if "main.c" not in named:
    bad.append("firmware/main.c is not in the module map")

# The layer matrix, as the table "| module | may include …" writes it.
script = open(os.path.join(root, "scripts/check-layers.sh"), encoding="utf-8").read()
want = {m: set(v.split()) for m, v in re.findall(r'^\s*(\w+)\)\s*echo "([^"]*)"', script, re.M)}
got, rows = {}, re.search(r"\| module \| may include[^\n]*\n\|[- |]+\n((?:\|[^\n]*\n)+)", doc)
for row in (rows.group(1).splitlines() if rows else []):
    cells = [c.strip() for c in row.strip().strip("|").split("|")]
    deps = set() if "nothing" in cells[1] else {d.strip() for d in cells[1].split(",")}
    for m in re.findall(r"`([\w.]+)`", cells[0]):
        got["main" if m == "main.c" else m] = deps
if got != want:
    for m in sorted(set(got) | set(want)):
        if got.get(m) != want.get(m):
            bad.append(f"layer matrix, {m}: the doc says {sorted(got.get(m, []))}, "
                       f"scripts/check-layers.sh {sorted(want.get(m, []))}")

# The phases, in the order of session/phase.c.
phase_c = open(os.path.join(fw, "session/phase.c"), encoding="utf-8").read()
want_ph = [n for n in re.findall(r'\[PHASE_\w+\] = "([^"]+)"', phase_c) if n != "?"]
table = re.search(r"\| phase \| reached by[^\n]*\n\|[- |]+\n((?:\|[^\n]*\n)+)", doc)
got_ph = re.findall(r"^\| `([^`]+)` \|", table.group(1), re.M) if table else []
if got_ph != want_ph:
    bad.append(f"phases: the doc has {got_ph}, session/phase.c {want_ph}")

for b in bad:
    print(b)
sys.exit(1 if bad else 0)
PY
}

D=${SCEAU_ARCH_DOC:-docs/ARCHITECTURE.md}
check . "$D" > "$W/ok.out" || { cat "$W/ok.out"; fail "docs/ARCHITECTURE.md does not match the tree"; }

planted() { # TREE DOC PATTERN WHAT
	if check "$1" "$2" > "$W/bad.out"; then fail "$4: passed"; fi
	grep -q -- "$3" "$W/bad.out" || { cat "$W/bad.out"; fail "$4: no '$3'"; }
}
sed 's|`session/seal.c`, `format/archive_manifest.c`|`session/unseal.c`, `format/archive_manifest.c`|' "$D" > "$W/d1.md"
planted . "$W/d1.md" "names firmware/session/unseal.c, which does not exist" "a path that does not exist"
sed 's|(`card_pcsc.c`)|(`card_pcsc.c`, `ccid_libusb.c`)|' "$D" > "$W/d2.md"
planted . "$W/d2.md" "section card/ names ccid_libusb.c" "a bare name of no file"
sed 's|`splitmix.c`, `splitmix.h`|`splitmix.h`|' "$D" > "$W/d3.md"
planted . "$W/d3.md" "firmware/lib/splitmix.c is not in the module map" "a file left out"
sed 's#^| `pv` | count, format, crypto, lib |$#| `pv` | format, crypto, lib |#' "$D" > "$W/d4.md"
planted . "$W/d4.md" "layer matrix, pv" "a changed matrix"
grep -v '^| `decrypted` |' "$D" > "$W/d5.md"
planted . "$W/d5.md" "phases: the doc has" "a missing phase"
# A firmware directory the doc does not know: a tree with one more module.
mkdir -p "$W/t"
for d in *; do [ "$d" = firmware ] || [ "$d" = build ] || ln -s "$PWD/$d" "$W/t/$d"; done
cp -a firmware "$W/t/firmware"
mkdir "$W/t/firmware/fault" && echo '/* x */' > "$W/t/firmware/fault/fault.c"
planted "$W/t" "$D" "firmware directory fault/ is missing" "a new firmware directory"
echo "docs/ARCHITECTURE.md matches the tree; 6 planted faults found"
