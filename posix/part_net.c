/*
 * part_net.c — markers of the "net" part: the socket calls, and with
 * them pith's TCP/IP stack (net/, posix/netstack.c, docs/net.md).
 */
#include "part.h"

PITH_PART_NAME(net)
#undef MARK_net
#define MARK_net(nr) PITH_MARK(nr)
#include "syscalls.def"
