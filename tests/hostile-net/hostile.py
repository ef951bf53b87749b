#!/usr/bin/python3
# hostile.py — adversarial frames at a pith guest over a tap (tests/hostile-net).
#
#   hostile.py VOLLEY TAP GUEST_IP GUEST_MAC PORT
#
# Runs inside the suite's network namespace, as root, with Debian's scapy
# (/usr/bin/python3). Every frame goes out on TAP, so it reaches the guest
# alone; spoofed sources are inside the namespace's own subnet and have no
# neighbour there, so nothing answers for them and nothing leaves.
# Prints "sent N" and, for volleys with a live connection, one
# "NAME ok|FAIL why" line per check of that connection.
import os
import random
import socket
import sys
import threading
import time

from scapy.all import (ARP, ICMP, IP, TCP, UDP, Dot1Q, Ether, Raw, conf,  # noqa: E402
                       get_if_hwaddr, raw)
from scapy.utils import checksum  # noqa: E402

volley, tap, gip, gmac, port = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
conf.verb = 0
mymac = get_if_hwaddr(tap)
myip = "10.213.0.1"
sock = conf.L2socket(iface=tap)
count = 0
rnd = random.Random(int(os.environ.get("SEED", "1")))


def send(frame):
    global count
    sock.send(frame if isinstance(frame, bytes) else raw(frame))
    count += 1


def eth():
    return Ether(src=mymac, dst=gmac)


def ip(**kw):
    return eth() / IP(src=kw.pop("src", myip), dst=gip, **kw)


def spoofed():
    """An address of the namespace's subnet (10.213.0.0/16) no host has."""
    return "10.213.%d.%d" % (rnd.randrange(1, 255), rnd.randrange(1, 255))


def corrupt_l4_checksum(pkt, layer):
    pkt = pkt.__class__(raw(pkt))
    pkt[layer].chksum = (pkt[layer].chksum + 1) & 0xffff
    return pkt


def malformed():
    e = raw(eth())
    for _ in range(20):
        # bad checksums: IP, TCP, UDP, ICMP
        p = ip() / ICMP() / (b"x" * 8)
        p = p.__class__(raw(p))
        p[IP].chksum ^= 0x1111
        send(p)
        send(corrupt_l4_checksum(ip() / TCP(sport=40000, dport=port, flags="S"), TCP))
        send(corrupt_l4_checksum(ip() / UDP(sport=40000, dport=53) / b"q", UDP))
        send(corrupt_l4_checksum(ip() / ICMP() / b"ping", ICMP))
        # truncated headers
        # (no short Ethernet frame: Linux pads a raw socket's frame to a
        # whole header before the tap sees it; tests/unit covers eth_short)
        send(e + raw(IP(dst=gip, src=myip))[:12])      # IP
        send(raw(ip(proto=6) / Raw(b"\x00" * 10)))     # TCP 10 bytes
        send(raw(ip(proto=17) / Raw(b"\x00" * 5)))     # UDP 5 bytes
        send(raw(ip(proto=1) / Raw(b"\x08\x00")))      # ICMP 2 bytes
        # IHL and total-length lies; version 6 in an IPv4 frame
        send(ip(ihl=15) / ICMP())
        send(ip(ihl=3) / ICMP())
        b = bytearray(raw(ip() / ICMP()))
        b[16:18] = (1400).to_bytes(2, "big")           # total length past the frame
        send(bytes(b))
        b = bytearray(raw(ip() / ICMP()))
        b[14] = 0x65
        send(bytes(b))
        # TCP data offset past the segment; a UDP length past the payload
        send(ip() / TCP(sport=40001, dport=port, flags="S", dataofs=15))
        send(ip() / UDP(sport=40002, dport=53, len=400) / b"q")
        # link junk: VLAN tag, an unknown EtherType, another MAC, a martian
        # source, a destination that is not the guest
        send(eth() / Dot1Q(vlan=5) / IP(src=myip, dst=gip) / ICMP())
        send(Ether(src=mymac, dst=gmac, type=0x88b6) / (b"junk" * 4))
        send(Ether(src=mymac, dst="02:99:99:99:99:99") / IP(src=myip, dst=gip) / ICMP())
        send(ip(src="127.0.0.1") / ICMP())
        send(eth() / IP(src=myip, dst="10.213.0.99") / ICMP())


def options():
    for i in range(20):
        sp = 41000 + i
        # bogus IP options: zero length, overlong, overlapping; the echo is
        # still answered (options are skipped)
        for opt in (b"\x44\x00\x00\x00", b"\x07\x28\x04\x00", b"\x83\x03\x83\x03" * 2,
                    b"\x01" * 3 + b"\x00"):
            send(ip(options=[]) / ICMP(id=i, seq=1) / b"opts")
            b = bytearray(raw(IP(src=myip, dst=gip, options=[]) / ICMP(id=i) / b"opts"))
            hdr = b[:20] + opt
            hdr[0] = 0x40 | (len(hdr) // 4)
            hdr[2:4] = (len(hdr) + len(b) - 20).to_bytes(2, "big")
            hdr[10:12] = b"\x00\x00"
            s = 0
            for k in range(0, len(hdr), 2):
                s += hdr[k] << 8 | hdr[k + 1]
            while s >> 16:
                s = (s & 0xffff) + (s >> 16)
            hdr[10:12] = (~s & 0xffff).to_bytes(2, "big")
            send(raw(eth()) + bytes(hdr) + bytes(b[20:]))
        # malformed TCP options on SYNs: zero length, past the header, and
        # wrong lengths of MSS, WScale, SACK-permitted, timestamps; two
        # contradicting MSS options
        for o in (b"\x02\x00\x00\x00", b"\x08\x28\x00\x00", b"\x02\x03\x05\x01",
                  b"\x03\x04\xff\x01", b"\x04\x05\x00\x01", b"\x08\x03\x00\x00",
                  b"\x02\x04\x05\xb4\x02\x04\x00\x01", b"\x03\x03\xc8\x00"):
            # Raw bytes with the checksum summed here: scapy would parse
            # and re-encode the options, mending the malformed ones.
            src = spoofed()
            seg = bytearray(raw(TCP(sport=sp, dport=port, flags="S", seq=rnd.getrandbits(32),
                                    options=[]))) + o
            seg[12] = (len(seg) // 4) << 4
            seg[16:18] = b"\x00\x00"
            pseudo = socket.inet_aton(src) + socket.inet_aton(gip) + bytes([0, 6]) + \
                len(seg).to_bytes(2, "big")
            seg[16:18] = checksum(pseudo + bytes(seg)).to_bytes(2, "big")
            send(eth() / IP(src=src, dst=gip, proto=6) / Raw(bytes(seg)))


def fragments():
    # many incomplete datagrams (first fragments only), 8-byte fragment
    # floods, overlaps, and fragments reaching past 65,535 bytes
    for i in range(1500):
        send(ip(id=10000 + i, flags="MF", frag=0, proto=17) / Raw(b"\x00" * 64))
    for i in range(800):
        send(ip(id=20000 + i % 40, flags="MF", frag=1 + 2 * (i // 40), proto=17) / Raw(b"y" * 8))
    for i in range(100):
        send(ip(id=30000 + i, flags="MF", frag=0, proto=17) / Raw(b"a" * 32))
        send(ip(id=30000 + i, flags="MF", frag=2, proto=17) / Raw(b"b" * 32))
        send(ip(id=30000 + i, flags=0, frag=8, proto=17) / Raw(b"c" * 8))  # after the drop
    for i in range(100):
        send(ip(id=40000 + i, flags=0, frag=8189, proto=17) / Raw(b"z" * 100))


def arp():
    g = gip
    for i in range(50):
        send(Ether(src=mymac, dst=gmac, type=0x0806) / b"\x00\x01\x08\x00")     # short
        b = bytearray(raw(Ether(src=mymac, dst=gmac) / ARP(op=1, pdst=g, psrc=myip)))
        b[14:16] = (6).to_bytes(2, "big")                                        # format
        send(bytes(b))                     # (scapy's hwtype=6 would drop the addresses)
        send(Ether(src=mymac, dst=gmac) / ARP(op=9, pdst=g, psrc=myip))            # op
        send(Ether(src=mymac, dst=gmac) / ARP(op=1, hwsrc="01:00:5e:00:00:01", psrc=myip, pdst=g))
        send(Ether(src=mymac, dst=gmac) / ARP(op=2, hwsrc="02:55:00:00:00:%02x" % i, psrc=g, pdst=g))
        send(Ether(src=mymac, dst=gmac) / ARP(op=2, hwsrc="02:56:00:00:00:01", psrc=spoofed(),
                                              pdst=g, hwdst=gmac))


def http_get(s):
    s.sendall(b"GET / HTTP/1.1\r\nHost: g\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data:
        c = s.recv(65536)
        if not c:
            raise OSError("closed")
        data += c
    head, body = data.split(b"\r\n\r\n", 1)
    n = int([ln for ln in head.split(b"\r\n") if ln.lower().startswith(b"content-length:")][0]
            .split(b":")[1])
    while len(body) < n:
        c = s.recv(65536)
        if not c:
            raise OSError("closed")
        body += c
    return head.split(b"\r\n")[0].startswith(b"HTTP/1.1 200")


def report(name, good, why=""):
    print("%s %s" % (name, "ok" if good else "FAIL " + why), flush=True)


class Watch:
    """The guest's side of one connection, from a raw socket on the tap."""

    def __init__(self, lport):
        self.lport, self.seq, self.ack, self.acks = lport, None, None, 0
        self.s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
        self.s.bind((tap, 0))
        self.s.settimeout(0.2)
        self.stop = False
        self.t = threading.Thread(target=self.run, daemon=True)
        self.t.start()

    def run(self):
        while not self.stop:
            try:
                f = self.s.recv(2048)
            except socket.timeout:
                continue
            if len(f) < 54 or f[23] != 6:
                continue
            ihl = (f[14] & 15) * 4
            t = f[14 + ihl:]
            if int.from_bytes(t[2:4], "big") != self.lport or int.from_bytes(t[0:2], "big") != port:
                continue
            total = int.from_bytes(f[16:18], "big")
            dlen = total - ihl - (t[12] >> 4) * 4
            seq = int.from_bytes(t[4:8], "big")
            self.seq = (seq + dlen) & 0xffffffff     # the guest's snd_nxt
            self.ack = int.from_bytes(t[8:12], "big")  # the guest's rcv_nxt
            self.acks += 1

    def inject(self, flags, seq_off=0, ack=None, data=b""):
        send(ip() / TCP(sport=self.lport, dport=port, flags=flags,
                        seq=(self.ack + seq_off) & 0xffffffff,
                        ack=self.seq if ack is None else ack & 0xffffffff, window=1000) / data)

    def quiet(self):
        """Wait until the guest has been silent for a moment."""
        n = -1
        for _ in range(50):
            if n == self.acks:
                return
            n = self.acks
            time.sleep(0.1)


def injection():
    s = socket.create_connection((gip, port), timeout=10)
    lport = s.getsockname()[1]
    w = Watch(lport)
    report("live-first-get", http_get(s))
    w.quiet()
    if w.ack is None:
        report("live-seen", False, "no segment of the connection seen on the tap")
        return
    # the last field: whether the guest answers (an ACK); a reset out of
    # the window is dropped in silence (RFC 5961 3.2)
    checks = [
        ("rst-in-window-challenged", "R", 1000, None, b"", True),
        ("rst-out-of-window-ignored", "R", 1 << 30, None, b"", False),
        ("syn-in-window-challenged", "S", 10, None, b"", True),
        ("data-out-of-window", "PA", 1 << 30, None, b"junk" * 10, True),
        ("ack-of-unsent-data", "A", 0, (w.seq or 0) + (1 << 30), b"", True),
        ("ack-too-old", "A", 0, (w.seq or 0) - (1 << 30), b"", True),
    ]
    for name, flags, off, ack, data, answers in checks:
        before = w.acks
        for _ in range(3):
            w.inject(flags, off, ack, data)
        w.quiet()
        answered = w.acks > before
        try:
            good = http_get(s)
            why = "" if good else "not 200"
        except OSError as e:
            good, why = False, str(e)
        report(name + "-survives", good, why)
        if answers:
            report(name + "-answered", answered, "no ACK from the guest")
        else:
            report(name + "-silent", not answered, "the guest answered")
        w.quiet()
    # the exact reset ends it: the next request meets a reset or EOF
    w.inject("R", 0)
    time.sleep(0.3)
    try:
        ended = not http_get(s)
    except OSError:
        ended = True
    report("rst-exact-ends-connection", ended, "the connection still answers")
    w.stop = True
    s.close()


def synflood():
    ports = list(range(1024, 65535))
    rnd.shuffle(ports)
    # prebuilt template: only addresses, ports, sequence numbers vary
    tpl = Ether(src=mymac, dst=gmac) / IP(dst=gip) / TCP(dport=port, flags="S", window=64240,
                                                        options=[("MSS", 1460)])
    result = {}

    def client():
        try:
            s = socket.create_connection((gip, port), timeout=10)
            result["ok"] = http_get(s)
            s.close()
        except OSError as e:
            result["err"] = str(e)

    t = None
    for i in range(4000):
        tpl[IP].src = spoofed()
        tpl[TCP].sport = ports[i]
        tpl[TCP].seq = rnd.getrandbits(32)
        del tpl[IP].chksum
        del tpl[TCP].chksum
        send(tpl)
        if i == 2000:
            t = threading.Thread(target=client)
            t.start()
    t.join(15)
    report("client-during-flood", result.get("ok", False), result.get("err", "no answer"))


{"malformed": malformed, "options": options, "fragments": fragments, "arp": arp,
 "injection": injection, "synflood": synflood}[volley]()
print("sent %d" % count, flush=True)
