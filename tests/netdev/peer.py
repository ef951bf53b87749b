#!/usr/bin/env python3
# peer.py — the Linux side of tests/netdev: raw Ethernet frames on a tap,
# inside the test's own network namespace (never elsewhere).
#
#   peer.py echo IFACE GUEST_MAC N   send N frames (EtherType 0x88b5, each
#                                    numbered) to the guest and expect each
#                                    back with the MACs swapped; prints
#                                    "echoed K of N"
#   peer.py count IFACE GUEST_MAC N SECS
#                                    count frames from the guest for up to
#                                    SECS seconds or until N arrived
import socket
import struct
import sys
import time

ETH_P = 0x88B5


def mac_bytes(s):
    return bytes(int(x, 16) for x in s.split(":"))


def wait_carrier(iface, secs=20):
    # The tap has carrier once pith has attached to it.
    end = time.time() + secs
    while time.time() < end:
        try:
            with open("/sys/class/net/%s/carrier" % iface) as f:
                if f.read().strip() == "1":
                    return
        except OSError:
            pass
        time.sleep(0.02)


def main():
    mode, iface, guest = sys.argv[1], sys.argv[2], mac_bytes(sys.argv[3])
    n = int(sys.argv[4])
    wait_carrier(iface)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P))
    s.bind((iface, 0))
    ours = s.getsockname()[4][:6]
    if mode == "echo":
        got = 0
        s.settimeout(2.0)
        for i in range(n):
            payload = struct.pack("!I", i) + bytes((i + j) & 0xFF for j in range(100))
            s.send(guest + ours + struct.pack("!H", ETH_P) + payload)
            deadline = time.time() + 2
            while time.time() < deadline:
                try:
                    f = s.recv(2048)
                except socket.timeout:
                    break
                if f[0:6] == ours and f[6:12] == guest and f[14:14 + len(payload)] == payload:
                    got += 1
                    break
        print("echoed %d of %d" % (got, n))
    else:
        secs = float(sys.argv[5])
        got = 0
        s.settimeout(0.5)
        end = time.time() + secs
        while got < n and time.time() < end:
            try:
                f = s.recv(2048)
            except socket.timeout:
                continue
            if f[6:12] == guest:
                got += 1
        print("received %d of %d" % (got, n))


main()
