#!/usr/bin/env python3
# bulk_peer.py — the Linux side of bench/run group 10's bulk TCP rows:
# connects to HOST:PORT (retrying for up to 20 s while the server
# starts), then sends MIB MiB and half-closes ("send"), or reads to EOF
# ("recv"), and prints mbs=... (10^6 bytes per second, from connect to
# the last byte: for "send", until the server closed its side, so all of
# it was read) and bytes=...
#   bulk_peer.py send|recv HOST PORT [MIB]
import socket, sys, time

mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
want = int(sys.argv[4]) << 20 if mode == "send" else 0
deadline = time.monotonic() + 20
while True:
    try:
        s = socket.create_connection((host, port), timeout=30)
        break
    except OSError:
        if time.monotonic() > deadline:
            raise
        time.sleep(0.05)
t0 = time.monotonic()
moved = 0
if mode == "send":
    chunk = bytes(256 * 1024)
    while moved < want:
        n = min(len(chunk), want - moved)
        s.sendall(chunk[:n])
        moved += n
    s.shutdown(socket.SHUT_WR)
    while s.recv(65536):
        pass
else:
    while True:
        b = s.recv(1 << 20)
        if not b:
            break
        moved += len(b)
t = time.monotonic() - t0
print("mbs=%.1f bytes=%d secs=%.3f" % (moved / t / 1e6, moved, t))
