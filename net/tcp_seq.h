/*
 * tcp_seq.h — TCP sequence number arithmetic (RFC 9293 3.4): numbers
 * live on a 32-bit circle, so "before" and "after" are decided by the
 * sign of the difference, valid while the two are within 2^31.
 * Timestamps (RFC 7323) compare the same way.
 */
#ifndef PITH_NET_TCP_SEQ_H
#define PITH_NET_TCP_SEQ_H

#include "net_sys.h"

static inline int32_t seq_diff(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b);
}

#define SEQ_LT(a, b)  (seq_diff((a), (b)) < 0)
#define SEQ_LEQ(a, b) (seq_diff((a), (b)) <= 0)
#define SEQ_GT(a, b)  (seq_diff((a), (b)) > 0)
#define SEQ_GEQ(a, b) (seq_diff((a), (b)) >= 0)
/* lo <= s < hi on the circle */
#define SEQ_IN(s, lo, hi) (SEQ_GEQ((s), (lo)) && SEQ_LT((s), (hi)))

#endif
