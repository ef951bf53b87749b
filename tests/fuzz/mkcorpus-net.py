#!/usr/bin/env python3
# mkcorpus-net.py — writes the seed inputs of tests/fuzz/fuzz_net.c into
# tests/fuzz/corpus-net/ (see fuzz_net.c for the input format). Run it
# again after changing the format; the seeds are checked in.
import os
import struct
import sys

US = bytes([10, 0, 0, 1])
PEER = bytes([10, 0, 0, 2])
GW = bytes([10, 0, 0, 254])
FAR = bytes([192, 0, 2, 7])
MAC_US = bytes([2, 0, 0, 0, 0, 1])
MAC_PEER = bytes([2, 0, 0, 0, 0, 2])
MAC_GW = bytes([2, 0, 0, 0, 0, 0xFE])
BCAST = b"\xff" * 6


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def eth(dst, src, typ, payload):
    return dst + src + struct.pack("!H", typ) + payload


def arp(op, sha, spa, tha, tpa):
    return struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + sha + spa + tha + tpa


def ip(src, dst, proto, payload, ident=1, frag=0):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, frag, 64, proto, 0, src, dst)
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def icmp(typ, code, rest, data):
    m = struct.pack("!BBH", typ, code, 0) + rest + data
    return m[:2] + struct.pack("!H", csum(m)) + m[4:]


def udp(src, dst, sport, dport, data):
    u = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    c = csum(src + dst + struct.pack("!BBH", 0, 17, len(u)) + u) or 0xFFFF
    return u[:6] + struct.pack("!H", c) + u[8:]


def tcp(src, dst, sport, dport, seq, ack, flags, data=b"", opts=b"", wnd=65535):
    hl = 20 + len(opts)
    t = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, (hl // 4) << 4, flags, wnd, 0, 0) + opts + data
    c = csum(src + dst + struct.pack("!BBH", 0, 6, len(t)) + t)
    return t[:16] + struct.pack("!H", c) + t[18:]


SYN_OPTS = bytes([2, 4, 5, 0xB4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7])
ISN = 0x10000000  # fuzz_net.c's fixed ISN
SYN, ACK, FIN, RST, PSH = 2, 0x10, 1, 4, 8


def rec(frame, fix=False):
    return bytes([0x40 if fix else 0]) + struct.pack("!H", len(frame)) + frame


def tick(units):
    return bytes([0x80 | units])


HELLO = rec(eth(BCAST, MAC_PEER, 0x0806, arp(1, MAC_PEER, PEER, b"\0" * 6, US)))
ping = icmp(8, 0, struct.pack("!HH", 1, 1), bytes(range(56)))
big = icmp(8, 0, struct.pack("!HH", 2, 2), bytes(i % 251 for i in range(3000)))

seeds = {
    "arp-request": b"\0" + HELLO,
    "echo": b"\0" + HELLO + rec(eth(MAC_US, MAC_PEER, 0x0800, ip(PEER, US, 1, ping))),
    "udp-echo": b"\1" + HELLO + rec(eth(MAC_US, MAC_PEER, 0x0800, ip(PEER, US, 17, udp(PEER, US, 5000, 7, b"x" * 900)))),
    "udp-closed": b"\0" + HELLO + rec(eth(MAC_US, MAC_PEER, 0x0800, ip(PEER, US, 17, udp(PEER, US, 5000, 9, b"knock")))),
    "big-ping": b"\0" + HELLO
    + rec(eth(MAC_US, MAC_PEER, 0x0800, ip(PEER, US, 1, big[:1480], 9, 0x2000)))
    + rec(eth(MAC_US, MAC_PEER, 0x0800, ip(PEER, US, 1, big[1480:2960], 9, 0x2000 | 185)))
    + rec(eth(MAC_US, MAC_PEER, 0x0800, ip(PEER, US, 1, big[2960:], 9, 370))),
    "reasm-timeout": b"\0" + HELLO
    + rec(eth(MAC_US, MAC_PEER, 0x0800, ip(PEER, US, 1, big[:1480], 9, 0x2000)))
    + tick(60) + tick(60) + tick(60),
    "arp-unanswered": b"\0"
    + rec(eth(MAC_US, MAC_PEER, 0x0800, ip(PEER, US, 17, udp(PEER, US, 5000, 7, b"who?"))))
    + tick(10) + tick(15) + tick(20) + tick(30),
    "frag-needed": b"\0"
    + rec(eth(BCAST, MAC_GW, 0x0806, arp(1, MAC_GW, GW, b"\0" * 6, US)))
    + rec(eth(MAC_US, MAC_GW, 0x0800, ip(GW, US, 1, icmp(3, 4, struct.pack("!HH", 0, 1200), ip(US, FAR, 17, b"\0" * 8, 5, 0x4000)[:28])))),
    "vlan": b"\0" + rec(eth(MAC_US, MAC_PEER, 0x8100, b"\0\x05\x08\x00" + b"\0" * 46)),
}

def tcp_frame(seg):
    return rec(eth(MAC_US, MAC_PEER, 0x0800, ip(PEER, US, 6, seg)))


tcp_open = tcp_frame(tcp(PEER, US, 5555, 80, 1000, 0, SYN, opts=SYN_OPTS)) + tcp_frame(
    tcp(PEER, US, 5555, 80, 1001, ISN + 1, ACK)
)
seeds["tcp-syn"] = b"\0" + HELLO + tcp_frame(tcp(PEER, US, 5555, 80, 1000, 0, SYN, opts=SYN_OPTS))
seeds["tcp-echo"] = (
    b"\0" + HELLO + tcp_open
    + tcp_frame(tcp(PEER, US, 5555, 80, 1001, ISN + 1, ACK | PSH, b"hello, pith"))
    + tick(5)
    + tcp_frame(tcp(PEER, US, 5555, 80, 1012, ISN + 12, ACK | FIN))
    + tick(5)
    + tcp_frame(tcp(PEER, US, 5555, 80, 1013, ISN + 13, ACK))
)
seeds["tcp-ooo"] = (
    b"\0" + HELLO + tcp_open
    + tcp_frame(tcp(PEER, US, 5555, 80, 1101, ISN + 1, ACK, b"B" * 100))
    + tcp_frame(tcp(PEER, US, 5555, 80, 1301, ISN + 1, ACK, b"D" * 100))
    + tcp_frame(tcp(PEER, US, 5555, 80, 1001, ISN + 1, ACK, b"A" * 100))
    + tcp_frame(tcp(PEER, US, 5555, 80, 1201, ISN + 1, ACK | FIN, b"C" * 100))
    + tick(20) + tick(40)
)
seeds["tcp-client"] = (
    b"\0" + HELLO
    + tcp_frame(tcp(PEER, US, 80, 40000, 7000, ISN + 1, SYN | ACK, opts=SYN_OPTS))
    + tcp_frame(tcp(PEER, US, 80, 40000, 7001, ISN + 1, ACK | PSH, b"HTTP/1.0 200 OK\r\n\r\n"))
    + tcp_frame(tcp(PEER, US, 80, 40000, 7020, ISN + 1, ACK | FIN))
    + tick(30) + tick(60)
)
seeds["tcp-rst"] = (
    b"\0" + HELLO + tcp_open
    + tcp_frame(tcp(PEER, US, 5555, 80, 1050, 0, RST))
    + tcp_frame(tcp(PEER, US, 5555, 80, 1001, 0, RST))
    + tcp_frame(tcp(PEER, US, 9, 81, 1, 0, SYN))
)
seeds["tcp-retransmit"] = b"\0" + HELLO + tcp_open + tcp_frame(
    tcp(PEER, US, 5555, 80, 1001, ISN + 1, ACK, b"x" * 1000)
) + tick(10) + tick(20) + tick(40) + tick(80) + tick(127)



def dhcp_reply(typ, yiaddr, lease=120):
    """A server's reply; the harness writes the client's xid (op 0x20)."""
    m = struct.pack("!BBBBIHH4s4s4s4s", 2, 1, 6, 0, 0, 0, 0, b"\0" * 4, yiaddr, b"\0" * 4, b"\0" * 4)
    m += MAC_US + b"\0" * 10 + b"\0" * 192 + struct.pack("!I", 0x63825363)
    m += bytes([53, 1, typ, 54, 4]) + GW + bytes([51, 4]) + struct.pack("!I", lease)
    m += bytes([1, 4, 255, 255, 255, 0, 3, 4]) + GW + bytes([6, 4]) + GW + bytes([255])
    frame = eth(MAC_US, MAC_GW, 0x0800, ip(GW, US, 17, udp(GW, US, 67, 68, m)))
    return bytes([0x60]) + struct.pack("!H", len(frame)) + frame


# DHCP (byte 0 bit 2): offer, ack, T1, T2, expiry; a NAK after a renewal.
seeds["dhcp-lease"] = (
    b"\4" + dhcp_reply(2, US) + dhcp_reply(5, US) + tick(80) + tick(50) + tick(40) + tick(40)
)
seeds["dhcp-nak"] = b"\4" + dhcp_reply(2, US) + dhcp_reply(5, US) + tick(80) + dhcp_reply(6, bytes(4))

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus-net")
os.makedirs(out, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
