/*
 * hvt_net.h — the network device on hvt: the monitor's side of the rings
 * (include/pith/abi.h), served by an I/O thread between the rings and the
 * tap, so frames flow while the vCPU runs and a busy guest makes no exit
 * per frame.
 */
#ifndef PITH_HVT_NET_H
#define PITH_HVT_NET_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "../kernel/netring.h"
#include "guest.h"

struct hvt_net {
	bool on;
	struct guest *g;
	uint16_t mtu;
	bool stream;	   /* passt's socket, not a tap (--net user) */
	struct netring tx; /* the monitor consumes */
	struct netring rx; /* the monitor produces */
	pthread_t thread;
	bool started;	    /* the thread is past its start-up calls */
	const char *broken; /* set once by the I/O thread: why the guest broke a ring */
	/* Counters (relaxed atomics, written by the I/O thread). */
	uint64_t tx_frames, rx_frames, tx_dropped, rx_dropped, sleeps, wakes;
};

/* Before lock-down, with the rings placed and loaded: eventfds at their
 * fixed numbers, the I/O thread started (all signals blocked in it). */
int hvt_net_start(struct hvt_net *n, struct guest *g, const struct run_net *o, char *err,
		  size_t errlen);
/* PITH_HC_NET_NOTIFY: NULL, or why the call breaks the ABI. */
const char *hvt_net_notify(struct hvt_net *n, const struct pith_hc_net_notify *a);
/* For PITH_HC_POLL with PITH_POLL_NET: mark the guest asleep on RX and
 * say whether frames are waiting already; the I/O thread then writes
 * NET_WAKE_FD for the next one. hvt_net_wake_clear() empties that fd. */
bool hvt_net_rx_sleep(struct hvt_net *n);
bool hvt_net_rx_ready(struct hvt_net *n);
void hvt_net_wake_clear(void);
/* At the guest's end: give the I/O thread up to a second to send what
 * the guest queued last (a program's final frames are not lost). */
void hvt_net_flush(struct hvt_net *n);
/* Why the guest's rings are broken (as the I/O thread found them, or as
 * the vCPU thread checks them during a hypercall), or NULL. */
const char *hvt_net_broken(const struct hvt_net *n);

#endif
