/*
 * netfd.h — the fixed host fd numbers of the network device.
 *
 * pith moves the tap (and, on hvt, its two eventfds) to these numbers
 * before lock-down, so the seccomp filters (tools/seccomp-gen.c, compiled
 * at build time) can allow read and write on exactly these fds.
 */
#ifndef PITH_NETFD_H
#define PITH_NETFD_H

#define NET_TAP_FD  200 /* the tap device: frames in and out */
#define NET_KICK_FD 201 /* hvt: eventfd, vCPU thread -> I/O thread (guest notified) */
#define NET_WAKE_FD 202 /* hvt: eventfd, I/O thread -> vCPU thread (RX frames) */

#endif
