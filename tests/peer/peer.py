#!/usr/bin/env python3
# peer.py — Linux's side of tests/peer, run inside the test's own network
# namespace (never any other address).
#
#   peer.py many ADDR PORT N SIZE   open N connections to an echo server at
#                                   once, then send SIZE distinct bytes on
#                                   each and shut down; prints "served K of N"
#                                   (K: connections whose echo came back whole)
#   peer.py udp ADDR PORT SIZE...   one datagram of each SIZE to a UDP echo
#                                   server; prints "SIZE ok" or "SIZE bad ..."
#   peer.py httpd ADDR PORT DIR READY
#                                   an HTTP/1.1 file server on DIR (files by
#                                   Content-Length; /chunked/NAME sends NAME
#                                   chunked in uneven pieces); touches READY
import http.server
import os
import resource
import selectors
import socket
import sys
import time


def connect(addr, port, timeout):
    for _ in range(100):
        try:
            return socket.create_connection((addr, port), timeout=timeout)
        except OSError:
            time.sleep(0.05)
    raise SystemExit("cannot connect to %s:%d" % (addr, port))


def many(addr, port, n, size):
    resource.setrlimit(resource.RLIMIT_NOFILE, (n + 64, n + 64))
    conns = [connect(addr, port, 30) for _ in range(n)]  # all open at once
    sel = selectors.DefaultSelector()
    want, got = {}, {}
    for i, s in enumerate(conns):
        data = bytes(((i * 31 + k * 7) % 253 for k in range(size)))
        want[s], got[s] = data, bytearray()
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
    served, open_ = 0, n
    deadline = time.monotonic() + 120
    while open_ and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=5):
            s = key.fileobj
            try:
                b = s.recv(65536)
            except BlockingIOError:
                continue
            if b:
                got[s] += b
                continue
            sel.unregister(s)
            open_ -= 1
            served += got[s] == want[s]
            s.close()
    print("served %d of %d" % (served, n))


def udp(addr, port, sizes):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(10)
    for i, size in enumerate(sizes):
        data = bytes(((i * 17 + k * 11) % 251 for k in range(size)))
        s.sendto(data, (addr, port))
        try:
            back, _ = s.recvfrom(70000)
        except socket.timeout:
            print("%d bad: no echo" % size)
            continue
        print("%d %s" % (size, "ok" if back == data else "bad: %d bytes back" % len(back)))


class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if not self.path.startswith("/chunked/"):
            return super().do_GET()
        name = os.path.join(self.directory, os.path.basename(self.path))
        with open(name, "rb") as f:
            body = f.read()
        self.send_response(200)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        pos, step = 0, 1
        while pos < len(body):  # pieces of 1, 8, 64, ... bytes, hex sizes
            piece = body[pos:pos + step]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            pos += len(piece)
            step = step * 8 if step < 65536 else 1
        self.wfile.write(b"0\r\n\r\n")

    def log_message(self, *args):
        pass


def httpd(addr, port, root, ready):
    def handler(*a, **kw):
        return Handler(*a, directory=root, **kw)

    srv = http.server.ThreadingHTTPServer((addr, port), handler)
    open(ready, "w").close()
    srv.serve_forever()


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "many":
        many(args[0], int(args[1]), int(args[2]), int(args[3]))
    elif cmd == "udp":
        udp(args[0], int(args[1]), [int(a) for a in args[2:]])
    elif cmd == "httpd":
        httpd(args[0], int(args[1]), args[2], args[3])
    else:
        raise SystemExit("usage: peer.py many|udp|httpd ...")
