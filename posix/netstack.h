/*
 * netstack.h — the guest's one instance of the network stack (net/),
 * part "net".
 *
 * netstack() sets the stack up on the first socket: with the platform's
 * device (kernel/netdev.h) when there is one, else with no address and no
 * device, which still serves 127.0.0.0/8. The socket layer calls
 * netstack_run() after every transport call (udp_*, tcp_*): it delivers
 * what was sent to local addresses and runs the stack's timers. Waiting
 * is serviced by the pump in netstack.c, hooked into clock_sleep_until.
 */
#ifndef PITH_NETSTACK_H
#define PITH_NETSTACK_H

#include "../net/net.h"

/* The stack, set up on first use; NULL when memory ran out. */
struct netif *netstack(void);
/* The stack's clock: monotonic nanoseconds. */
uint64_t netstack_now(void);
/* Deliver local datagrams and run timers due now. */
void netstack_run(void);

#endif
