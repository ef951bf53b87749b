/*
 * test_net_tcp_pair.c — TCP between two stacks on a simulated wire:
 * handshake and negotiated options, data both ways, half-close, close
 * and TIME-WAIT expiry, simultaneous open and close, refused and reset
 * connections, zero window and persist probes, keepalive (answered and
 * not), sequence numbers across 2^32, SYN retries giving up, memory
 * returned at the end.
 */
#include "check.h"
#include "tcputil.h"

#define MSL (1 * SEC) /* TIME-WAIT: 2 s in these tests */

static struct wire w;

struct conn {
	struct tcp_pcb *lis, *a, *b; /* listener on B, client on A, accepted on B */
};

static bool accepted(void *ctx, struct wire *wp)
{
	struct conn *c = ctx;

	(void)wp;
	if (!c->b && tcp_accept(c->lis, &c->b) != 0)
		return false;
	return c->a->state == TCP_ESTABLISHED;
}

/* A connection from A to B:port; the listener stays open. */
static bool open_conn(struct conn *c, uint16_t port)
{
	memset(c, 0, sizeof(*c));
	c->lis = tcp_open(&w.nif[1]);
	if (tcp_bind(c->lis, 0, port) != 0 || tcp_listen(c->lis, 8) != 0)
		return false;
	c->a = tcp_open(&w.nif[0]);
	if (tcp_connect(c->a, IP_B, port, w.now) != -NET_EINPROGRESS)
		return false;
	return wire_run(&w, 10 * SEC, accepted, c);
}

/* Everything sent on one side read on the other. */
struct xfer {
	struct tcp_pcb *from, *to;
	const uint8_t *data;
	size_t len, sent, got;
	uint8_t *buf;
	bool bad;
};

static bool pump(void *ctx, struct wire *wp)
{
	struct xfer *x = ctx;
	uint8_t tmp[16384];
	long n;

	while (x->sent < x->len &&
	       (n = tcp_send(x->from, x->data + x->sent, x->len - x->sent, wp->now)) > 0)
		x->sent += (size_t)n;
	while ((n = tcp_recv(x->to, tmp, sizeof(tmp), 0, wp->now)) > 0) {
		if (x->got + (size_t)n > x->len || memcmp(tmp, x->data + x->got, (size_t)n))
			x->bad = true;
		x->got += (size_t)n;
	}
	return x->got == x->len || x->bad;
}

static bool transfer(struct tcp_pcb *from, struct tcp_pcb *to, const uint8_t *data, size_t len,
		     uint64_t limit)
{
	struct xfer x = { .from = from, .to = to, .data = data, .len = len };

	return wire_run(&w, limit, pump, &x) && !x.bad && x.got == len;
}

static bool states(void *ctx, struct wire *wp)
{
	struct tcp_pcb **p = ctx;

	(void)wp;
	return p[0]->state == (enum tcp_state)(uintptr_t)p[2] &&
	       (!p[1] || p[1]->state == (enum tcp_state)(uintptr_t)p[3]);
}

/* Run until a reaches sa (and b, if given, reaches sb). */
static bool until_states(struct tcp_pcb *a, enum tcp_state sa, struct tcp_pcb *b, enum tcp_state sb,
			 uint64_t limit)
{
	void *p[4] = { a, b, (void *)(uintptr_t)sa, (void *)(uintptr_t)sb };

	return wire_run(&w, limit, states, p);
}

static void handshake_and_data(void)
{
	struct conn c;
	uint8_t buf[64];
	int v = 0;

	wire_init(&w, 1 * MS, MSL, 0);
	if (!CHECK("net/tcp/pair/handshake", open_conn(&c, 80) && c.b))
		return;
	CHECK("net/tcp/pair/states-established",
	      c.a->state == TCP_ESTABLISHED && c.b->state == TCP_ESTABLISHED);
	CHECK("net/tcp/pair/options-negotiated",
	      c.a->snd_scale == tcp_wscale_for(NET_TCP_RCVBUF) &&
		      c.a->rcv_scale == c.b->snd_scale && (c.a->flags & TF_SACK_OK) &&
		      (c.b->flags & TF_TS_OK) && (c.a->flags & TF_TS_OK));
	CHECK_U64("net/tcp/pair/mss-from-mtu", c.a->peer_mss, 1460);
	CHECK_U64("net/tcp/pair/send-mss-less-timestamps", tcp_send_mss(c.a, w.now), 1448);
	CHECK("net/tcp/pair/ports", c.a->rport == 80 && c.b->lport == 80 &&
					    c.b->rport == c.a->lport &&
					    c.a->lport >= NET_TCP_EPHEMERAL_LOW);
	CHECK("net/tcp/pair/poll-writable",
	      (tcp_poll(c.a) & TCP_POLL_OUT) && !(tcp_poll(c.a) & TCP_POLL_IN));
	CHECKD("net/tcp/pair/rtt-measured",
	       c.a->rtt.valid && c.a->rtt.srtt >= 2 * MS && c.a->rtt.srtt <= 4 * MS, "srtt %llu",
	       (unsigned long long)c.a->rtt.srtt);
	CHECK("net/tcp/pair/recv-nothing-yet",
	      tcp_recv(c.b, buf, sizeof(buf), 0, w.now) == -NET_EAGAIN);

	CHECK("net/tcp/pair/send-returns-length", tcp_send(c.a, "hello, pith", 11, w.now) == 11);
	wire_wait(&w, 100 * MS);
	CHECK("net/tcp/pair/poll-readable", tcp_poll(c.b) & TCP_POLL_IN);
	CHECK("net/tcp/pair/peek", tcp_recv(c.b, buf, 5, TCP_RECV_PEEK, w.now) == 5 &&
					   !memcmp(buf, "hello", 5) && tcp_readable(c.b) == 11);
	CHECK("net/tcp/pair/a-to-b",
	      tcp_recv(c.b, buf, sizeof(buf), 0, w.now) == 11 && !memcmp(buf, "hello, pith", 11));
	CHECK("net/tcp/pair/b-to-a", transfer(c.b, c.a, (const uint8_t *)"and back", 8, 5 * SEC));

	/* Nagle: a second small write waits for the first one's ACK. */
	tcp_send(c.a, "x", 1, w.now);
	size_t before = w.dev[0].n;
	tcp_send(c.a, "y", 1, w.now);
	CHECK("net/tcp/pair/nagle-holds-small-segment", w.dev[0].n == before);
	wire_wait(&w, 100 * MS);
	CHECK("net/tcp/pair/nagle-releases-after-ack",
	      tcp_recv(c.b, buf, sizeof(buf), 0, w.now) == 2 && !memcmp(buf, "xy", 2));
	CHECK("net/tcp/pair/nodelay-option", tcp_setopt(c.a, TCP_OPT_NODELAY, 1) == 0 &&
						     tcp_getopt(c.a, TCP_OPT_NODELAY, &v) == 0 &&
						     v == 1);
	tcp_send(c.a, "x", 1, w.now);
	before = w.dev[0].n;
	tcp_send(c.a, "y", 1, w.now);
	CHECK("net/tcp/pair/nodelay-sends-at-once", w.dev[0].n == before + 1);
	wire_wait(&w, 100 * MS);
	tcp_recv(c.b, buf, sizeof(buf), 0, w.now);

	/* A larger transfer each way, through the windows. */
	static uint8_t big[300000];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7 + i / 251);
	CHECK("net/tcp/pair/300k-a-to-b", transfer(c.a, c.b, big, sizeof(big), 30 * SEC));
	CHECK("net/tcp/pair/300k-b-to-a", transfer(c.b, c.a, big, sizeof(big), 30 * SEC));
	CHECK_U64("net/tcp/pair/clean-wire-no-retransmissions", counter(&w.nif[0], "tcp_rexmit"),
		  0);
	CHECK("net/tcp/pair/delayed-acks-fewer-than-segments",
	      counter(&w.nif[1], "tcp_tx") < counter(&w.nif[0], "tcp_tx"));

	/* Half-close: A shuts writing; B reads the end, still sends. */
	CHECK("net/tcp/pair/shutdown-wr", tcp_shutdown(c.a, TCP_SHUT_WR, w.now) == 0);
	until_states(c.a, TCP_FIN_WAIT_2, c.b, TCP_CLOSE_WAIT, 5 * SEC);
	CHECK("net/tcp/pair/half-close-states",
	      c.a->state == TCP_FIN_WAIT_2 && c.b->state == TCP_CLOSE_WAIT);
	CHECK("net/tcp/pair/eof-after-fin",
	      tcp_recv(c.b, buf, sizeof(buf), 0, w.now) == 0 && (tcp_poll(c.b) & TCP_POLL_RDHUP));
	CHECK("net/tcp/pair/send-after-shutdown-epipe", tcp_send(c.a, "z", 1, w.now) == -NET_EPIPE);
	CHECK("net/tcp/pair/half-closed-still-carries",
	      transfer(c.b, c.a, (const uint8_t *)"late words", 10, 5 * SEC));
	tcp_close(c.b, w.now);
	until_states(c.a, TCP_TIME_WAIT, NULL, 0, 5 * SEC);
	wire_wait(&w, 10 * MS); /* the last ACK on its way */
	CHECK("net/tcp/pair/time-wait", c.a->state == TCP_TIME_WAIT &&
						tcp_recv(c.a, buf, sizeof(buf), 0, w.now) == 0 &&
						(tcp_poll(c.a) & TCP_POLL_HUP));
	CHECK_U64("net/tcp/pair/last-ack-frees-closed-pcb", w.nif[1].tcp.count, 1);
	wire_wait(&w, 2 * MSL - 100 * MS);
	CHECK("net/tcp/pair/time-wait-lasts-2msl", c.a->state == TCP_TIME_WAIT);
	wire_wait(&w, 200 * MS);
	CHECK("net/tcp/pair/time-wait-expires", c.a->state == TCP_CLOSED && c.a->error == 0);
	tcp_close(c.a, w.now);
	tcp_close(c.lis, w.now);
	CHECK("net/tcp/pair/all-closed-no-memory", w.nif[0].tcp.mem == 0 && w.nif[1].tcp.mem == 0 &&
							   w.nif[0].tcp.count == 0 &&
							   w.nif[1].tcp.count == 0);
	wire_free(&w);
}

static void simultaneous(void)
{
	struct tcp_pcb *a, *b;

	wire_init(&w, 5 * MS, MSL, 0);
	a = tcp_open(&w.nif[0]);
	b = tcp_open(&w.nif[1]);
	tcp_bind(a, 0, 5000);
	tcp_bind(b, 0, 6000);
	/* Both SYNs leave before either arrives (5 ms each way). */
	CHECK("net/tcp/simultaneous-open/connect",
	      tcp_connect(a, IP_B, 6000, w.now) == -NET_EINPROGRESS &&
		      tcp_connect(b, IP_A, 5000, w.now) == -NET_EINPROGRESS);
	until_states(a, TCP_ESTABLISHED, b, TCP_ESTABLISHED, 10 * SEC);
	CHECK("net/tcp/simultaneous-open/established",
	      a->state == TCP_ESTABLISHED && b->state == TCP_ESTABLISHED);
	CHECK("net/tcp/simultaneous-open/data",
	      transfer(a, b, (const uint8_t *)"crossed", 7, 5 * SEC) &&
		      transfer(b, a, (const uint8_t *)"syns", 4, 5 * SEC));
	CHECK_U64("net/tcp/simultaneous-open/no-resets",
		  counter(&w.nif[0], "tcp_rst_tx") + counter(&w.nif[1], "tcp_rst_tx"), 0);

	/* Both FINs cross: CLOSING on both sides, then TIME-WAIT. */
	tcp_shutdown(a, TCP_SHUT_WR, w.now);
	tcp_shutdown(b, TCP_SHUT_WR, w.now);
	CHECK("net/tcp/simultaneous-close/fin-wait-1",
	      a->state == TCP_FIN_WAIT_1 && b->state == TCP_FIN_WAIT_1);
	wire_run(&w, 6 * MS, NULL, NULL);
	CHECK("net/tcp/simultaneous-close/closing",
	      a->state == TCP_CLOSING && b->state == TCP_CLOSING);
	until_states(a, TCP_TIME_WAIT, b, TCP_TIME_WAIT, 5 * SEC);
	CHECK("net/tcp/simultaneous-close/both-time-wait",
	      a->state == TCP_TIME_WAIT && b->state == TCP_TIME_WAIT);
	tcp_close(a, w.now);
	tcp_close(b, w.now);
	CHECK("net/tcp/simultaneous-close/pcbs-wait-out-time-wait",
	      w.nif[0].tcp.count == 1 && w.nif[1].tcp.count == 1);
	wire_wait(&w, 3 * MSL);
	CHECK("net/tcp/simultaneous-close/freed-after-2msl",
	      w.nif[0].tcp.count == 0 && w.nif[1].tcp.count == 0 && w.nif[0].tcp.mem == 0);
	wire_free(&w);
}

static void refused_and_reset(void)
{
	struct tcp_pcb *a;
	struct conn c;
	uint8_t buf[16];

	wire_init(&w, 1 * MS, MSL, 0);
	a = tcp_open(&w.nif[0]);
	tcp_connect(a, IP_B, 9, w.now);
	wire_wait(&w, 1 * SEC);
	CHECK("net/tcp/refused/closed-with-error",
	      a->state == TCP_CLOSED && (tcp_poll(a) & TCP_POLL_ERR) &&
		      tcp_error(a) == NET_ECONNREFUSED && tcp_error(a) == 0);
	CHECK_U64("net/tcp/refused/peer-counted", counter(&w.nif[1], "tcp_no_pcb"), 1);
	/* As on Linux, a refused socket may try again. */
	CHECK("net/tcp/refused/connect-again",
	      tcp_connect(a, IP_B, 9, w.now) == -NET_EINPROGRESS && a->state == TCP_SYN_SENT);
	tcp_close(a, w.now);

	/* Closing with unread data resets the connection (RFC 2525). */
	if (!CHECK("net/tcp/reset/open", open_conn(&c, 81)))
		return;
	uint64_t rst_rx = counter(&w.nif[0], "tcp_rst_rx");
	tcp_send(c.a, "unread", 6, w.now);
	wire_wait(&w, 100 * MS);
	tcp_close(c.b, w.now);
	wire_wait(&w, 100 * MS);
	CHECK("net/tcp/reset/unread-data-resets",
	      c.a->state == TCP_CLOSED &&
		      tcp_recv(c.a, buf, sizeof(buf), 0, w.now) == -NET_ECONNRESET);
	CHECK("net/tcp/reset/counted", counter(&w.nif[1], "tcp_aborted") == 1 &&
					       counter(&w.nif[0], "tcp_rst_rx") == rst_rx + 1);
	CHECK("net/tcp/reset/send-after-reset-epipe", tcp_send(c.a, "x", 1, w.now) == -NET_EPIPE);
	tcp_close(c.a, w.now);
	tcp_close(c.lis, w.now);

	/* Abort: RST at once. */
	if (!CHECK("net/tcp/abort/open", open_conn(&c, 82)))
		return;
	tcp_abort(c.a, w.now);
	wire_wait(&w, 100 * MS);
	CHECK("net/tcp/abort/peer-reset",
	      c.b->state == TCP_CLOSED && tcp_error(c.b) == NET_ECONNRESET);
	tcp_close(c.b, w.now);
	tcp_close(c.lis, w.now);
	/* A listener closed with a connection not yet accepted resets it. */
	if (!CHECK("net/tcp/abort/open-2", open_conn(&c, 83)))
		return;
	struct tcp_pcb *waiting = NULL;
	tcp_connect(waiting = tcp_open(&w.nif[0]), IP_B, 83, w.now);
	wire_wait(&w, 100 * MS);
	tcp_close(c.b, w.now);
	tcp_close(c.lis, w.now);
	wire_wait(&w, 100 * MS);
	CHECK("net/tcp/abort/listener-close-resets-queue",
	      waiting->state == TCP_CLOSED && tcp_error(waiting) == NET_ECONNRESET);
	tcp_close(waiting, w.now);
	tcp_close(c.a, w.now);
	wire_wait(&w, 3 * MSL);
	CHECKD("net/tcp/abort/no-memory-left", w.nif[0].tcp.mem == 0 && w.nif[1].tcp.mem == 0,
	       "mem %zu %zu count %u %u", w.nif[0].tcp.mem, w.nif[1].tcp.mem, w.nif[0].tcp.count,
	       w.nif[1].tcp.count);

	/* No answer at all: the SYN is tried NET_TCP_SYN_RETRIES more times. */
	a = tcp_open(&w.nif[0]);
	w.loss_pm = 1000;
	tcp_connect(a, IP_B, 80, w.now);
	wire_wait(&w, 200 * SEC);
	CHECK("net/tcp/syn-retries-give-up",
	      a->state == TCP_CLOSED && tcp_error(a) == NET_ETIMEDOUT &&
		      counter(&w.nif[0], "tcp_rto") == NET_TCP_SYN_RETRIES &&
		      counter(&w.nif[0], "tcp_conn_timeout") == 1);
	tcp_close(a, w.now);
	wire_free(&w);
}

static void zero_window(void)
{
	struct conn c;
	static uint8_t data[150000];
	uint8_t buf[4096];
	size_t got = 0;
	long n;
	bool same = true;

	wire_init(&w, 1 * MS, MSL, 0);
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i % 253);
	/* The listener's small receive buffer goes to its connection. */
	c.lis = tcp_open(&w.nif[1]);
	tcp_setopt(c.lis, TCP_OPT_RCVBUF, 4096);
	tcp_bind(c.lis, 0, 80);
	tcp_listen(c.lis, 4);
	c.a = tcp_open(&w.nif[0]);
	c.b = NULL;
	tcp_connect(c.a, IP_B, 80, w.now);
	wire_run(&w, 5 * SEC, accepted, &c);
	if (!CHECK("net/tcp/zero-window/open", c.b && c.b->rcv.size == 4096))
		return;
	CHECK("net/tcp/zero-window/sndbuf-after-connect-refused",
	      tcp_setopt(c.a, TCP_OPT_SNDBUF, 8192) == -NET_EISCONN);
	n = tcp_send(c.a, data, sizeof(data), w.now);
	CHECK("net/tcp/zero-window/send-fills-buffer", n > 0 && (size_t)n < sizeof(data));
	wire_wait(&w, 20 * SEC);
	CHECK("net/tcp/zero-window/window-closed", c.a->snd_wnd == 0 && tcp_readable(c.b) == 4096);
	CHECK("net/tcp/zero-window/persist-probes",
	      counter(&w.nif[0], "tcp_persist_probe") >= 3 &&
		      counter(&w.nif[0], "tcp_persist_probe") <= 12);
	CHECK("net/tcp/zero-window/connection-alive",
	      c.a->state == TCP_ESTABLISHED && counter(&w.nif[0], "tcp_conn_timeout") == 0);
	/* The reader drains; the writer's remaining bytes follow. */
	size_t sent = (size_t)n;
	for (int round = 0; round < 2000 && got < sizeof(data); round++) {
		while ((n = tcp_recv(c.b, buf, sizeof(buf), 0, w.now)) > 0) {
			same &= !memcmp(buf, data + got, (size_t)n);
			got += (size_t)n;
		}
		if (sent < sizeof(data) &&
		    (n = tcp_send(c.a, data + sent, sizeof(data) - sent, w.now)) > 0)
			sent += (size_t)n;
		wire_wait(&w, 20 * MS);
	}
	CHECK("net/tcp/zero-window/drained-byte-exact", got == sizeof(data) && same);
	tcp_abort(c.a, w.now);
	tcp_abort(c.b, w.now);
	tcp_close(c.lis, w.now);
	wire_free(&w);
}

static void keepalive(void)
{
	struct conn c;

	wire_init(&w, 1 * MS, MSL, 0);
	if (!CHECK("net/tcp/keepalive/open", open_conn(&c, 80)))
		return;
	tcp_setopt(c.a, TCP_OPT_KEEPALIVE, 1);
	tcp_setopt(c.a, TCP_OPT_KEEPIDLE_MS, 1000);
	tcp_setopt(c.a, TCP_OPT_KEEPINTVL_MS, 500);
	tcp_setopt(c.a, TCP_OPT_KEEPCNT, 3);
	wire_wait(&w, 10 * SEC);
	CHECK("net/tcp/keepalive/answered-probes-keep-it",
	      c.a->state == TCP_ESTABLISHED && counter(&w.nif[0], "tcp_keepalive_probe") >= 5 &&
		      counter(&w.nif[0], "tcp_keepalive_timeout") == 0);
	uint64_t probes = counter(&w.nif[0], "tcp_keepalive_probe"), t0 = w.now;
	w.loss_pm = 1000; /* the peer vanishes */
	wire_wait(&w, 1100 * MS + 3 * 500 * MS);
	CHECK("net/tcp/keepalive/unanswered-times-out",
	      c.a->state == TCP_CLOSED && tcp_error(c.a) == NET_ETIMEDOUT &&
		      counter(&w.nif[0], "tcp_keepalive_timeout") == 1 &&
		      counter(&w.nif[0], "tcp_keepalive_probe") - probes == 3);
	CHECK("net/tcp/keepalive/within-idle-plus-probes", w.now - t0 <= 1100 * MS + 1500 * MS);
	tcp_close(c.a, w.now);
	tcp_abort(c.b, w.now);
	tcp_close(c.lis, w.now);
	wire_free(&w);
}

static uint32_t isn_near_wrap(struct netif *nif, uint32_t laddr, uint16_t lport, uint32_t raddr,
			      uint16_t rport, uint64_t now)
{
	(void)nif, (void)laddr, (void)lport, (void)raddr, (void)rport, (void)now;
	return 0xffffffffu - 20000; /* wraps 20,000 bytes in */
}

static void wraparound(void)
{
	struct conn c;
	static uint8_t data[200000];

	wire_init(&w, 1 * MS, MSL, 0);
	w.nif[0].tcp.isn = isn_near_wrap;
	w.nif[1].tcp.isn = isn_near_wrap;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i ^ i >> 9);
	if (!CHECK("net/tcp/wrap/open", open_conn(&c, 80)))
		return;
	CHECK("net/tcp/wrap/isn-near-2^32", c.a->iss == 0xffffffffu - 20000);
	w.loss_pm = 20;
	CHECK("net/tcp/wrap/both-ways-across-2^32",
	      transfer(c.a, c.b, data, sizeof(data), 60 * SEC) &&
		      transfer(c.b, c.a, data, sizeof(data), 60 * SEC));
	CHECK("net/tcp/wrap/sequence-wrapped",
	      c.a->snd_una < 0x10000000u && c.b->snd_una < 0x10000000u);
	w.loss_pm = 0;
	tcp_close(c.a, w.now);
	tcp_close(c.b, w.now);
	wire_wait(&w, 3 * MSL);
	CHECK("net/tcp/wrap/closed-cleanly", w.nif[0].tcp.count == 0 && w.nif[1].tcp.count == 1 &&
						     counter(&w.nif[0], "tcp_rst_tx") == 0);
	tcp_close(c.lis, w.now);
	wire_free(&w);
}

int main(void)
{
	handshake_and_data();
	simultaneous();
	refused_and_reset();
	zero_window();
	keepalive();
	wraparound();
	CHECK_U64("net/tcp/pair/all-freed", net_host_bytes, 0);
	return 0;
}
