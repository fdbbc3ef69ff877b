#!/usr/bin/python3
"""Hostile ISO 9660 images for the tests (issue 14): reads and patches the
root directory records of an image's plain ISO 9660 / Rock Ridge tree and
of its Joliet tree, byte for byte (ECMA-119 9.1, Joliet, RRIP "NM").
The firmware never parses ISO 9660 itself (it uses libarchive); the tests
may, to make what no tool makes: one name pointing at other bytes in one
tree only, a name repeated, a second Joliet tree, a UDF bridge.

  isoforge.py list IMAGE
      one line per root file and tree: TREE NAME EXTENT SIZE
  isoforge.py point IMAGE TREE NAME OTHER
      in TREE (iso: the primary tree, so its Rock Ridge names too; joliet),
      the record of NAME takes the extent and size of the record of OTHER
  isoforge.py point-data IMAGE TREE NAME FILE
      the same, to the bytes of FILE wherever the image holds them at a
      sector's start (a file hidden from every tree still has its data)
  isoforge.py rename IMAGE TREE OLD NEW
      same-length rename in TREE (iso: the ISO 9660 identifier; rr: the
      Rock Ridge NM name; joliet: the UCS-2 name)
  isoforge.py second-joliet IMAGE
      a copy of the Joliet descriptor where the terminator was, the
      terminator moved one sector on
  isoforge.py udf IMAGE
      an ECMA-167 "BEA01" descriptor right after the terminator
"""
import struct
import sys

SECTOR = 2048


def sector(img, n):
    return img[n * SECTOR:(n + 1) * SECTOR]


def descriptors(img):
    """(sector, type) of each volume descriptor up to the terminator."""
    out = []
    for n in range(16, 32):
        d = sector(img, n)
        if d[1:6] != b"CD001":
            break
        out.append((n, d[0]))
        if d[0] == 255:
            break
    return out


def root_of(img, tree):
    """(extent, size) of the root directory of the tree."""
    for n, t in descriptors(img):
        d = sector(img, n)
        joliet = t == 2 and d[88:90] == b"%/"
        if (tree == "joliet") == joliet and t in (1, 2):
            rec = d[156:156 + 34]
            return struct.unpack_from("<I", rec, 2)[0], struct.unpack_from("<I", rec, 10)[0]
    sys.exit("no %s tree" % tree)


def records(img, tree):
    """Every root record but . and ..: (offset, identifier bytes, rr name)."""
    extent, size = root_of(img, tree)
    start, out, off = extent * SECTOR, [], 0
    while off < size:
        p = start + off
        n = img[p]
        if n == 0:
            off = (off // SECTOR + 1) * SECTOR
            continue
        lfi = img[p + 32]
        ident = bytes(img[p + 33:p + 33 + lfi])
        if ident not in (b"\x00", b"\x01"):
            su = p + 33 + lfi + (0 if lfi % 2 else 1)
            out.append((p, ident, rr_name(img, su, p + n)))
        off += n
    return out


def rr_name(img, p, end):
    """(offset of the name, name) of the record's NM entry, or None."""
    while p + 4 <= end:
        sig, n = bytes(img[p:p + 2]), img[p + 2]
        if n < 4:
            break
        if sig == b"NM":
            return p + 5, bytes(img[p + 5:p + n])
        p += n
    return None


def shown(ident, tree):
    if tree == "joliet":
        name = ident.decode("utf-16-be")
    else:
        name = ident.decode("latin-1")
    return name[:-2] if name.endswith(";1") else name


def find(img, tree, name):
    base = "iso" if tree == "rr" else tree
    hits = [r for r in records(img, base)
            if (r[2] and r[2][1].decode() == name if tree == "rr" else shown(r[1], base) == name)]
    if len(hits) != 1:
        sys.exit("%s: %d records named %s" % (tree, len(hits), name))
    return hits[0]


def cmd_list(img):
    for tree in ("iso", "joliet"):
        for p, ident, rr in records(img, tree):
            ext, size = struct.unpack_from("<I", img, p + 2)[0], struct.unpack_from("<I", img, p + 10)[0]
            print(tree, shown(ident, tree), ext, size)
            if rr:
                print("rr", rr[1].decode(), ext, size)


def cmd_point(img, tree, name, other):
    p, _, _ = find(img, tree, name)
    q, _, _ = find(img, tree, other)
    img[p + 2:p + 18] = img[q + 2:q + 18]


def cmd_point_data(img, tree, name, path):
    data = open(path, "rb").read()
    p, _, _ = find(img, tree, name)
    cur = struct.unpack_from("<I", img, p + 2)[0]
    for n in range(len(img) // SECTOR):
        if n != cur and img[n * SECTOR:n * SECTOR + len(data)] == data:
            struct.pack_into("<I", img, p + 2, n)
            struct.pack_into(">I", img, p + 6, n)
            struct.pack_into("<I", img, p + 10, len(data))
            struct.pack_into(">I", img, p + 14, len(data))
            return
    sys.exit("point-data: the image does not hold %s" % path)


def cmd_rename(img, tree, old, new):
    if tree == "rr":
        (q, cur) = find(img, "rr", old)[2]
        raw = new.encode()
    else:
        p, ident, _ = find(img, tree, old)
        q = p + 33
        if tree == "joliet":
            raw = new.encode("utf-16-be") + ident[len(old.encode("utf-16-be")):]
        else:
            raw = new.encode() + ident[len(old):]
        cur = ident
    if len(raw) != len(cur):
        sys.exit("rename: %s and %s differ in length" % (old, new))
    img[q:q + len(raw)] = raw


def cmd_second_joliet(img):
    vds = descriptors(img)
    jol = [n for n, t in vds if t == 2]
    term = vds[-1][0]
    img[(term + 1) * SECTOR:(term + 2) * SECTOR] = sector(img, term)
    img[term * SECTOR:(term + 1) * SECTOR] = sector(img, jol[0])


def cmd_udf(img):
    term = descriptors(img)[-1][0]
    d = bytearray(SECTOR)
    d[0:7] = b"\x00BEA01\x01"
    img[(term + 1) * SECTOR:(term + 2) * SECTOR] = d


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    img = bytearray(open(path, "rb").read())
    if cmd == "list":
        cmd_list(img)
        return
    {"point": cmd_point, "point-data": cmd_point_data, "rename": cmd_rename, "second-joliet": cmd_second_joliet,
     "udf": cmd_udf}[cmd](img, *sys.argv[3:])
    with open(path, "r+b") as f:
        f.write(img)


main()
