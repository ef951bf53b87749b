#!/usr/bin/env python3
# impair.py — netem in user space, for tests/peer (this machine's kernel
# has no sch_netem). Relays Ethernet frames between the guest's tap, read
# and written through a packet socket, and a second tap that carries
# Linux's address, attached here; both directions are impaired alike.
#
#   impair.py GUEST_TAP LINUX_TAP SEED READY [loss=P] [dup=P] [delay=MS]
#             [jitter=MS] [reorder=P]
#
# loss: drop a frame with probability P; dup: send it twice; delay: hold
# each frame MS milliseconds, +/- jitter; reorder: send a frame at once,
# ahead of the delayed ones (as netem's reorder). Touches READY once both
# ends are open; on SIGTERM prints "frames N dropped D duplicated U
# reordered R" and ends.
import fcntl
import heapq
import os
import random
import select
import signal
import socket
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TAP, IFF_NO_PI = 0x0002, 0x1000
ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


def main():
    gtap, ltap, seed, ready = sys.argv[1:5]
    opts = dict(a.split("=") for a in sys.argv[5:])
    loss = float(opts.get("loss", 0))
    dup = float(opts.get("dup", 0))
    delay = float(opts.get("delay", 0)) / 1000
    jitter = float(opts.get("jitter", 0)) / 1000
    reorder = float(opts.get("reorder", 0))
    rnd = random.Random(int(seed))

    tap = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(tap, TUNSETIFF, struct.pack("16sH", ltap.encode(), IFF_TAP | IFF_NO_PI))
    pkt = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    pkt.bind((gtap, 0))
    open(ready, "w").close()

    stats = dict(frames=0, dropped=0, duplicated=0, reordered=0)
    queue, seq = [], 0  # (due, seq, to_guest, frame)

    def stop(*_):
        print("frames %(frames)d dropped %(dropped)d duplicated %(duplicated)d "
              "reordered %(reordered)d" % stats, flush=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)

    def take(frame, to_guest):
        nonlocal seq
        stats["frames"] += 1
        if rnd.random() < loss:
            stats["dropped"] += 1
            return
        copies = 1
        if rnd.random() < dup:
            stats["duplicated"] += 1
            copies = 2
        now = time.monotonic()
        for _ in range(copies):
            due = now + max(0.0, delay + rnd.uniform(-jitter, jitter))
            if delay and rnd.random() < reorder:
                stats["reordered"] += 1
                due = now
            seq += 1
            heapq.heappush(queue, (due, seq, to_guest, frame))

    while True:
        timeout = max(0.0, queue[0][0] - time.monotonic()) if queue else 1.0
        readable, _, _ = select.select([tap, pkt], [], [], timeout)
        if tap in readable:
            take(os.read(tap, 65536), True)
        if pkt in readable:
            frame, addr = pkt.recvfrom(65536)
            if addr[2] != PACKET_OUTGOING:  # not our own writes to the guest
                take(frame, False)
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, _, to_guest, frame = heapq.heappop(queue)
            try:
                if to_guest:
                    pkt.send(frame)
                else:
                    os.write(tap, frame)
            except OSError:
                pass  # a full queue drops, as a link would


if __name__ == "__main__":
    main()
