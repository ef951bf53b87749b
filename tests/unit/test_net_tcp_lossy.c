/*
 * test_net_tcp_lossy.c — TCP through a bad wire: 10 MB from A to B
 * while the wire drops 3% of TCP frames, duplicates 1% and delays 2% by
 * up to three latencies (so they arrive out of order), all from a seeded
 * generator. The transfer must complete byte for byte; retransmission,
 * fast retransmit and out-of-order counters must move; no frame may be
 * longer than the MTU allows; memory stays within the buffers. Then both
 * directions at once at 5% loss, and everything freed.
 */
#include "check.h"
#include "tcputil.h"

static struct wire w;

struct conn {
	struct tcp_pcb *lis, *a, *b;
};

static bool accepted(void *ctx, struct wire *wp)
{
	struct conn *c = ctx;

	(void)wp;
	if (!c->b && tcp_accept(c->lis, &c->b) != 0)
		return false;
	return c->a->state == TCP_ESTABLISHED;
}

struct flow {
	struct tcp_pcb *from, *to;
	const uint8_t *data;
	size_t len, sent, got;
	bool bad;
};

static void flow_step(struct flow *f, uint64_t now)
{
	uint8_t tmp[32768];
	long n;

	while (f->sent < f->len &&
	       (n = tcp_send(f->from, f->data + f->sent, f->len - f->sent, now)) > 0)
		f->sent += (size_t)n;
	while ((n = tcp_recv(f->to, tmp, sizeof(tmp), 0, now)) > 0) {
		if (f->got + (size_t)n > f->len || memcmp(tmp, f->data + f->got, (size_t)n))
			f->bad = true;
		f->got += (size_t)n;
	}
}

struct flows {
	struct flow f[2];
	int n;
	size_t peak_tcp_mem;
};

static bool step(void *ctx, struct wire *wp)
{
	struct flows *fs = ctx;
	bool done = true;

	for (int i = 0; i < fs->n; i++) {
		flow_step(&fs->f[i], wp->now);
		done &= fs->f[i].got == fs->f[i].len || fs->f[i].bad;
	}
	for (int i = 0; i < 2; i++)
		fs->peak_tcp_mem = NET_MAX(fs->peak_tcp_mem, wp->nif[i].tcp.mem);
	return done;
}

static bool open_conn(struct conn *c)
{
	memset(c, 0, sizeof(*c));
	c->lis = tcp_open(&w.nif[1]);
	tcp_bind(c->lis, 0, 80);
	tcp_listen(c->lis, 4);
	c->a = tcp_open(&w.nif[0]);
	tcp_connect(c->a, IP_B, 80, w.now);
	return wire_run(&w, 30 * SEC, accepted, c);
}

static uint64_t both(const char *name)
{
	return counter(&w.nif[0], name) + counter(&w.nif[1], name);
}

static void ten_megabytes(void)
{
	static uint8_t data[10 << 20];
	struct flows fs = { .n = 1 };
	struct conn c;
	bool done;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 131 + (i >> 13));
	wire_init(&w, 5 * MS, 1 * SEC, 0);
	w.loss_pm = 30;
	w.dup_pm = 10;
	w.reorder_pm = 20;
	if (!CHECK("net/tcp/lossy/handshake-through-loss", open_conn(&c)))
		return;
	fs.f[0] = (struct flow){ .from = c.a, .to = c.b, .data = data, .len = sizeof(data) };
	done = wire_run(&w, 600 * SEC, step, &fs);
	CHECKD("net/tcp/lossy/10MB-complete-byte-exact",
	       done && !fs.f[0].bad && fs.f[0].got == sizeof(data),
	       "got %zu of %zu, bad %d, at %.1f s", fs.f[0].got, sizeof(data), fs.f[0].bad,
	       (double)(w.now - T0) / 1e9);
	CHECKD("net/tcp/lossy/wire-did-its-worst",
	       w.dropped > 200 && w.duplicated > 50 && w.reordered > 100,
	       "dropped %zu duplicated %zu reordered %zu", w.dropped, w.duplicated, w.reordered);
	CHECKD("net/tcp/lossy/retransmissions-moved",
	       counter(&w.nif[0], "tcp_rexmit") > 100 && counter(&w.nif[0], "tcp_fast_rexmit") > 20,
	       "rexmit %llu fast %llu rto %llu",
	       (unsigned long long)counter(&w.nif[0], "tcp_rexmit"),
	       (unsigned long long)counter(&w.nif[0], "tcp_fast_rexmit"),
	       (unsigned long long)counter(&w.nif[0], "tcp_rto"));
	CHECK("net/tcp/lossy/receiver-held-early-data",
	      counter(&w.nif[1], "tcp_ooo_rx") > 100 && counter(&w.nif[0], "tcp_dupack_rx") > 100);
	CHECK("net/tcp/lossy/no-frame-over-mtu",
	      w.dev[0].too_long == 0 && w.dev[1].too_long == 0 && w.max_frame <= 1514);
	CHECKD("net/tcp/lossy/memory-within-buffers",
	       fs.peak_tcp_mem <= 2 * (2 * sizeof(struct tcp_pcb) + 2 * NET_TCP_SNDBUF +
				       NET_TCP_SYNQ_MAX * sizeof(struct tcp_syn_entry)),
	       "peak %zu", fs.peak_tcp_mem);
	CHECK("net/tcp/lossy/no-resets-no-timeouts", both("tcp_rst_tx") == 0 &&
							     both("tcp_conn_timeout") == 0 &&
							     c.a->state == TCP_ESTABLISHED);
	tcp_close(c.a, w.now);
	tcp_close(c.b, w.now);
	wire_run(&w, 60 * SEC, NULL, NULL);
	CHECK("net/tcp/lossy/close-through-loss",
	      w.nif[0].tcp.count == 0 && w.nif[1].tcp.count == 1);
	tcp_close(c.lis, w.now);
	wire_free(&w);
}

static void both_ways(void)
{
	static uint8_t d1[2 << 20], d2[2 << 20];
	struct flows fs = { .n = 2 };
	struct conn c;

	for (size_t i = 0; i < sizeof(d1); i++) {
		d1[i] = (uint8_t)(i * 7);
		d2[i] = (uint8_t)(i * 13 + 5);
	}
	wire_init(&w, 2 * MS, 1 * SEC, 0);
	w.rng = 99;
	w.loss_pm = 50;
	w.dup_pm = 20;
	w.reorder_pm = 50;
	if (!CHECK("net/tcp/lossy/both-ways-open", open_conn(&c)))
		return;
	tcp_setopt(c.a, TCP_OPT_NODELAY, 1);
	fs.f[0] = (struct flow){ .from = c.a, .to = c.b, .data = d1, .len = sizeof(d1) };
	fs.f[1] = (struct flow){ .from = c.b, .to = c.a, .data = d2, .len = sizeof(d2) };
	CHECK("net/tcp/lossy/both-ways-5%-loss-byte-exact",
	      wire_run(&w, 600 * SEC, step, &fs) && !fs.f[0].bad && !fs.f[1].bad);
	CHECK("net/tcp/lossy/both-ways-retransmitted",
	      counter(&w.nif[0], "tcp_rexmit") > 10 && counter(&w.nif[1], "tcp_rexmit") > 10);
	tcp_abort(c.a, w.now);
	tcp_abort(c.b, w.now);
	tcp_close(c.lis, w.now);
	wire_free(&w);
}

int main(void)
{
	ten_megabytes();
	both_ways();
	CHECK_U64("net/tcp/lossy/all-freed", net_host_bytes, 0);
	return 0;
}
