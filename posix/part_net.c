/*
 * part_net.c — the "net" part: pith's TCP/IP stack (net/, docs/net.md).
 *
 * No system call reaches the stack yet (sockets come next), so this part
 * defines no markers and no image links it; it is built so the stack
 * stays freestanding kernel code. The socket calls will turn its markers
 * on here, and part_all.c will list one of them.
 */
#include "part.h"

PITH_PART_NAME(net)
