#!/usr/bin/python3
"""Finds text on a Linux virtual console in a dump of a guest's memory
(tests/image/test_image_firmware.sh): the kernel keeps each console's
screen as 16-bit cells, the character in the low byte and its colours in
the high one. vt_text.py DUMP PREFIX N prints the N characters (hexadecimal
digits) that follow the first PREFIX so laid out, past the blanks where the
console wrapped the line (nothing if none)."""
import re
import sys

dump = open(sys.argv[1], "rb").read()
prefix, n = sys.argv[2].encode(), int(sys.argv[3])
cells = b"".join(re.escape(bytes([c])) + b"[\\x01-\\xff]" for c in prefix)
m = re.search(cells + b"(?: [\\x01-\\xff])*((?:[0-9a-f][\\x01-\\xff]){%d})" % n, dump, re.S)
if m:
    print(m.group(1)[::2].decode())
