#!/bin/bash
# Every English format of ui/msg_detail.h is still written by the code
# (issue 14, item 6): a detail reworded in firmware/ without its row would
# silently reach the bureau in English again. C string literals written in
# pieces ("a " "b") are joined before looking.
set -euo pipefail
/usr/bin/python3 - <<'PY'
import glob, re, sys
lit = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
def strings(text):
    out, cur, last = [], None, None
    for m in lit.finditer(text):
        if cur is not None and re.fullmatch(r'\s*', text[last:m.start()]):
            cur += m.group(1)
        else:
            if cur is not None:
                out.append(cur)
            cur = m.group(1)
        last = m.end()
    if cur is not None:
        out.append(cur)
    return out
known = set()
for f in glob.glob('firmware/**/*.c', recursive=True):
    known.update(strings(open(f, encoding='utf-8').read()))
rows = re.findall(r'^MSG_DETAIL\((\w+), "((?:[^"\\]|\\.)*)"\)$',
                  open('firmware/ui/msg_detail.h', encoding='utf-8').read(), re.M)
assert len(rows) > 40, len(rows)
missing = [(i, f) for i, f in rows if f not in known]
for i, f in missing:
    print(f'FAIL: {i}: "{f}" is written nowhere in firmware/', file=sys.stderr)
sys.exit(1 if missing else 0)
PY
echo "every detail format of ui/msg_detail.h is still written by the code"
