/*
 * test_console.c — monitor/console.c: console_drain and write_full.
 *
 * console_drain writes to fds 1 and 2 themselves, so each case runs it in
 * a forked child whose fds 0 to 3 are pipes; the parent reads all four
 * back. The child reports console_drain's result in its exit status
 * (40 + (ret < 0) + broken mask): any other status means it crashed or a
 * sanitizer stopped it, and the parent shows what it wrote on fd 2.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#include "../../monitor/console.h"

enum mode {
	SEPARATE, /* fd 1 and fd 2: two pipes */
	SHARED,	  /* fd 1 and fd 2: one pipe, to see the order */
	CLOSED1,  /* fd 1: a pipe nobody reads (EPIPE) */
};

struct out {
	char *buf[4]; /* what arrived on fds 0..3 */
	size_t len[4];
	int ret; /* console_drain's result, or 99 when the child died */
	uint32_t broken;
	int status;
};

/* A console buffer of exactly size data bytes (ASan sees any overread). */
struct con {
	struct pith_console *c;
	uint32_t size, off;
};

static void con_new(struct con *k, uint32_t size)
{
	k->c = malloc(sizeof(struct pith_console) + size);
	memset(k->c->data, 'P', size); /* padding and slack: must never be written */
	k->c->size = 0xfffffff0;       /* the guest's copy of size: must be ignored */
	k->c->used = 0;
	k->size = size;
	k->off = 0;
}

/* Append a record (header with fd and len, then len bytes of p, padded). */
static void con_rec(struct con *k, uint32_t fd, uint32_t len, const void *p, size_t plen)
{
	struct pith_console_rec r = { fd, len };

	memcpy(k->c->data + k->off, &r, sizeof(r));
	k->off += sizeof(r);
	if (p)
		memcpy(k->c->data + k->off, p, plen);
	k->off += (uint32_t)((plen + 7) & ~(size_t)7);
	k->c->used = k->off;
}

static void con_str(struct con *k, uint32_t fd, const char *s)
{
	con_rec(k, fd, (uint32_t)strlen(s), s, strlen(s));
}

static void con_free(struct con *k)
{
	free(k->c);
}

static void out_free(struct out *o)
{
	for (int i = 0; i < 4; i++)
		free(o->buf[i]);
}

static int high_dup(int fd)
{
	int r = fcntl(fd, F_DUPFD, 100);

	if (r < 0)
		_exit(98);
	return r;
}

static void drain(const struct con *k, uint32_t size, uint32_t broken_in, enum mode mode,
		  struct out *o)
{
	int p[4][2];
	pid_t pid;
	struct pollfd pf[4];
	int open_n = 0;

	memset(o, 0, sizeof(*o));
	for (int i = 0; i < 4; i++)
		if (pipe(p[i]) < 0) {
			perror("pipe");
			exit(1);
		}
	if (mode == CLOSED1) {
		close(p[1][0]);
		p[1][0] = -1;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	if (pid == 0) {
		int w[4];
		uint32_t broken = broken_in;
		int ret;

		signal(SIGPIPE, SIG_IGN);
		for (int i = 0; i < 4; i++)
			w[i] = high_dup(p[i][1]);
		for (int i = 0; i < 4; i++) {
			if (p[i][0] >= 0)
				close(p[i][0]);
			close(p[i][1]);
		}
		dup2(w[0], 0);
		dup2(w[1], 1);
		dup2(mode == SHARED ? w[1] : w[2], 2);
		dup2(w[3], 3);
		for (int i = 0; i < 4; i++)
			close(w[i]);
		ret = console_drain(k->c, size, &broken);
		if ((ret != 0 && ret != -1) || broken > 7)
			_exit(60);
		_exit(40 + (ret < 0) + (int)(broken & 6));
	}
	for (int i = 0; i < 4; i++) {
		close(p[i][1]);
		pf[i].fd = p[i][0];
		pf[i].events = POLLIN;
		open_n += p[i][0] >= 0;
	}
	while (open_n > 0) {
		if (poll(pf, 4, 10000) <= 0)
			break;
		for (int i = 0; i < 4; i++) {
			char tmp[65536];
			ssize_t n;

			if (pf[i].fd < 0 || !pf[i].revents)
				continue;
			n = read(pf[i].fd, tmp, sizeof(tmp));
			if (n > 0) {
				o->buf[i] = realloc(o->buf[i], o->len[i] + (size_t)n + 1);
				memcpy(o->buf[i] + o->len[i], tmp, (size_t)n);
				o->len[i] += (size_t)n;
				o->buf[i][o->len[i]] = '\0';
			} else if (n == 0 || (n < 0 && errno != EINTR)) {
				close(pf[i].fd);
				pf[i].fd = -1;
				open_n--;
			}
		}
	}
	for (int i = 0; i < 4; i++)
		if (pf[i].fd >= 0)
			close(pf[i].fd);
	waitpid(pid, &o->status, 0);
	if (WIFEXITED(o->status) && WEXITSTATUS(o->status) >= 40 && WEXITSTATUS(o->status) < 48) {
		o->ret = WEXITSTATUS(o->status) & 1 ? -1 : 0;
		o->broken = (uint32_t)(WEXITSTATUS(o->status) - 40) & 6;
	} else {
		o->ret = 99;
	}
}

static int is(const struct out *o, int fd, const char *want, size_t wlen)
{
	return o->len[fd] == wlen && (wlen == 0 || memcmp(o->buf[fd], want, wlen) == 0);
}

#define IS(o, fd, lit) is((o), (fd), (lit), sizeof(lit) - 1)

/* One check: result, broken mask, and what each fd got. */
static void expect(const char *name, const struct out *o, int ret, uint32_t broken, int ok_streams)
{
	CHECKD(name, o->ret == ret && o->broken == broken && ok_streams,
	       "ret %d (want %d), broken %u (want %u), status 0x%x, fd0 %zu bytes, "
	       "fd1 \"%.60s\", fd2 \"%.200s\", fd3 %zu bytes",
	       o->ret, ret, o->broken, broken, o->status, o->len[0], o->buf[1] ? o->buf[1] : "",
	       o->buf[2] ? o->buf[2] : "", o->len[3]);
}

static void test_well_formed(void)
{
	struct con k;
	struct out o;

	con_new(&k, 4096);
	con_str(&k, 1, "hello ");
	con_str(&k, 2, "warn\n");
	con_str(&k, 1, "world\n");
	con_str(&k, 2, "");
	con_str(&k, 1, "x");
	drain(&k, k.size, 0, SEPARATE, &o);
	expect("console/well-formed", &o, 0, 0,
	       IS(&o, 1, "hello world\nx") && IS(&o, 2, "warn\n") && !o.len[0] && !o.len[3]);
	out_free(&o);
	con_free(&k);

	/* The order across fds: one pipe behind both. */
	con_new(&k, 4096);
	{
		char want[1024];
		size_t wl = 0;

		for (unsigned i = 0; i < 40; i++) {
			char s[32];
			unsigned n = i % 18;

			for (unsigned j = 0; j < n; j++)
				s[j] = (char)('a' + (i + j) % 26);
			con_rec(&k, i % 3 == 1 ? 2 : 1, n, s, n);
			memcpy(want + wl, s, n);
			wl += n;
		}
		drain(&k, k.size, 0, SHARED, &o);
		expect("console/interleaving-order", &o, 0, 0, is(&o, 1, want, wl));
		out_free(&o);
	}
	con_free(&k);

	con_new(&k, 64);
	drain(&k, k.size, 0, SEPARATE, &o);
	expect("console/empty", &o, 0, 0, !o.len[1] && !o.len[2]);
	out_free(&o);
	con_free(&k);

	/* Full to the last byte: used == size. */
	con_new(&k, 32);
	con_str(&k, 1, "12345678");
	con_str(&k, 2, "abcdefgh");
	drain(&k, k.size, 0, SEPARATE, &o);
	expect("console/exactly-full", &o, 0, 0, IS(&o, 1, "12345678") && IS(&o, 2, "abcdefgh"));
	out_free(&o);
	con_free(&k);

	/* The last record unpadded: used ends with its data. */
	con_new(&k, 8 + 8 + 8 + 3);
	con_str(&k, 1, "a");
	con_rec(&k, 2, 3, "xyz", 3);
	k.c->used = 8 + 8 + 8 + 3;
	drain(&k, k.size, 0, SEPARATE, &o);
	expect("console/last-record-unpadded", &o, 0, 0, IS(&o, 1, "a") && IS(&o, 2, "xyz"));
	out_free(&o);
	con_free(&k);

	/* Padding is never written. */
	con_new(&k, 64);
	con_str(&k, 1, "abc");
	con_str(&k, 1, "def");
	drain(&k, k.size, 0, SEPARATE, &o);
	expect("console/padding-skipped", &o, 0, 0, IS(&o, 1, "abcdef"));
	out_free(&o);
	con_free(&k);

	/* A record much larger than a pipe holds. */
	{
		uint32_t big = 300000;
		char *s = malloc(big);

		for (uint32_t i = 0; i < big; i++)
			s[i] = (char)('A' + i % 23);
		con_new(&k, big + 64);
		con_rec(&k, 2, big, s, big);
		con_str(&k, 1, "after");
		drain(&k, k.size, 0, SEPARATE, &o);
		expect("console/large-record", &o, 0, 0, is(&o, 2, s, big) && IS(&o, 1, "after"));
		out_free(&o);
		con_free(&k);
		free(s);
	}
}

static void test_malformed(void)
{
	struct con k;
	struct out o;

	con_new(&k, 64);
	con_str(&k, 1, "never");
	k.c->used = 65;
	drain(&k, k.size, 0, SEPARATE, &o);
	expect("console/bad/used-past-size", &o, -1, 0, !o.len[1] && !o.len[2]);
	out_free(&o);
	k.c->used = UINT32_MAX;
	drain(&k, k.size, 0, SEPARATE, &o);
	expect("console/bad/used-max", &o, -1, 0, !o.len[1] && !o.len[2]);
	out_free(&o);
	con_free(&k);

	/* The host's size counts, not the guest's. */
	con_new(&k, 64);
	con_str(&k, 1, "x");
	k.c->size = 1u << 30;
	k.c->used = 1000;
	drain(&k, k.size, 0, SEPARATE, &o);
	expect("console/bad/guest-size-ignored", &o, -1, 0, !o.len[1]);
	out_free(&o);
	con_free(&k);

	con_new(&k, 64);
	con_str(&k, 1, "good");
	con_rec(&k, 1, 1000, "bad", 3);
	con_str(&k, 2, "never");
	drain(&k, k.size, 0, SEPARATE, &o);
	expect("console/bad/len-past-used", &o, -1, 0, IS(&o, 1, "good") && !o.len[2]);
	out_free(&o);
	con_free(&k);

	con_new(&k, 64);
	con_str(&k, 1, "good");
	con_rec(&k, 1, 9, "12345678", 8); /* one byte more than used holds */
	k.c->used = k.off;
	drain(&k, k.size, 0, SEPARATE, &o);
	expect("console/bad/len-one-past-used", &o, -1, 0, IS(&o, 1, "good"));
	out_free(&o);
	con_free(&k);

	con_new(&k, 64);
	con_str(&k, 1, "good");
	con_rec(&k, 2, UINT32_MAX, "x", 1);
	drain(&k, k.size, 0, SEPARATE, &o);
	expect("console/bad/len-max", &o, -1, 0, IS(&o, 1, "good") && !o.len[2]);
	out_free(&o);
	con_free(&k);

	for (unsigned f = 0; f < 4; f++) {
		static const uint32_t fds[] = { 0, 3, 0x80000001u, UINT32_MAX };
		char n[64];

		con_new(&k, 64);
		con_str(&k, 2, "a");
		con_str(&k, fds[f], "bad");
		con_str(&k, 1, "c");
		drain(&k, k.size, 0, SEPARATE, &o);
		snprintf(n, sizeof(n), "console/bad/fd-%u", fds[f]);
		expect(n, &o, -1, 0, IS(&o, 2, "a") && !o.len[0] && !o.len[1] && !o.len[3]);
		out_free(&o);
		con_free(&k);
	}

	/* Truncated header: 4 bytes after a good record. */
	con_new(&k, 64);
	con_str(&k, 1, "a");
	con_str(&k, 2, "b");
	k.c->used = 16 + 4;
	drain(&k, k.size, 0, SEPARATE, &o);
	expect("console/bad/truncated-header", &o, -1, 0, IS(&o, 1, "a") && !o.len[2]);
	out_free(&o);
	con_free(&k);

	con_new(&k, 64);
	con_str(&k, 1, "a");
	k.c->used = 7;
	drain(&k, k.size, 0, SEPARATE, &o);
	expect("console/bad/header-only-7-bytes", &o, -1, 0, !o.len[1]);
	out_free(&o);
	con_free(&k);

	/* used ends inside the padding of the last record: fine. */
	con_new(&k, 64);
	con_str(&k, 1, "abc");
	k.c->used = 8 + 5;
	drain(&k, k.size, 0, SEPARATE, &o);
	expect("console/used-inside-padding", &o, 0, 0, IS(&o, 1, "abc"));
	out_free(&o);
	con_free(&k);
}

static void test_broken(void)
{
	struct con k;
	struct out o;

	con_new(&k, 256);
	con_str(&k, 1, "a");
	con_str(&k, 2, "b");
	con_str(&k, 1, "c");
	con_str(&k, 2, "d");
	drain(&k, k.size, 0, CLOSED1, &o);
	expect("console/epipe/marks-fd1", &o, 0, 1u << 1, IS(&o, 2, "bd"));
	out_free(&o);

	drain(&k, k.size, 1u << 2, SEPARATE, &o);
	expect("console/epipe/broken-fd2-skipped", &o, 0, 1u << 2, IS(&o, 1, "ac") && !o.len[2]);
	out_free(&o);

	drain(&k, k.size, 1u << 2, CLOSED1, &o);
	expect("console/epipe/both-broken", &o, 0, 6, !o.len[2]);
	out_free(&o);
	con_free(&k);

	/* A malformed record after a broken fd still fails. */
	con_new(&k, 256);
	con_str(&k, 1, "a");
	con_str(&k, 0, "bad");
	drain(&k, k.size, 0, CLOSED1, &o);
	expect("console/epipe/then-malformed", &o, -1, 1u << 1, !o.len[0] && !o.len[2]);
	out_free(&o);
	con_free(&k);
}

static void test_write_full(void)
{
	int p[2];
	char buf[16];

	CHECK("console/write-full/bad-fd", write_full(-1, "x", 1) == -1);
	if (pipe(p) == 0) {
		CHECK("console/write-full/pipe", write_full(p[1], "hello", 5) == 0 &&
							 read(p[0], buf, sizeof(buf)) == 5 &&
							 memcmp(buf, "hello", 5) == 0);
		CHECK("console/write-full/zero", write_full(p[1], NULL, 0) == 0);
		close(p[0]);
		close(p[1]);
	}
}

int main(void)
{
	test_well_formed();
	test_malformed();
	test_broken();
	test_write_full();
	return 0;
}
