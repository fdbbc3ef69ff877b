#!/usr/bin/python3
"""Sends commands to QEMU's human monitor on a unix socket (tests/image):
hmp.py SOCKET COMMAND... ; prints what QEMU answered."""
import socket
import sys
import time


def main():
    s = socket.socket(socket.AF_UNIX)
    s.connect(sys.argv[1])
    s.settimeout(10)
    buf = b""
    while b"(qemu)" not in buf:
        buf += s.recv(4096)
    for cmd in sys.argv[2:]:
        s.sendall(cmd.encode() + b"\n")
        buf = b""
        end = time.time() + 10
        while buf.count(b"(qemu)") < 1 and time.time() < end:
            buf += s.recv(4096)
        print(buf.decode(errors="replace").split("\r\n", 1)[-1].replace("(qemu)", ""))
    s.close()


main()
