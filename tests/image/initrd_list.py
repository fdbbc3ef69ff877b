#!/usr/bin/python3
"""Lists the files of an initramfs (tests/image): cpio "newc" archives one
after the other, the first ones plain (early microcode), the last one
compressed (zstd, gzip or xz, decompressed by the command-line tool)."""
import subprocess
import sys

MAGIC = b"070701"
DECOMP = {b"\x28\xb5\x2f\xfd": ["zstd", "-dc"], b"\x1f\x8b": ["gzip", "-dc"],
          b"\xfd7zXZ": ["xz", "-dc"]}


def entries(data, pos):
    """Yields the names of one cpio archive at pos; returns the end."""
    names = []
    while data[pos:pos + 6] == MAGIC:
        hdr = data[pos:pos + 110]
        size = int(hdr[54:62], 16)
        namesize = int(hdr[94:102], 16)
        name = data[pos + 110:pos + 110 + namesize - 1].decode()
        pos = (pos + 110 + namesize + 3) & ~3
        pos = (pos + size + 3) & ~3
        if name == "TRAILER!!!":
            break
        names.append(name)
    return names, pos


def main():
    data = open(sys.argv[1], "rb").read()
    pos, out = 0, []
    while pos < len(data):
        if data[pos:pos + 6] == MAGIC:
            names, pos = entries(data, pos)
            out += names
            continue
        if data[pos:pos + 1] == b"\0":
            pos += 1
            continue
        tool = next((t for m, t in DECOMP.items() if data[pos:pos + len(m)] == m), None)
        if not tool:
            sys.exit("initrd: unknown data at offset %d" % pos)
        plain = subprocess.run(tool, input=data[pos:], capture_output=True, check=True).stdout
        out += entries(plain, 0)[0]
        break
    for name in sorted(out):
        print(name)


main()
