/*
 * passt.c — `pith run --net user`: the user-mode network backend, and
 * `-p [HOSTADDR:]HOSTPORT:GUESTPORT[/tcp|udp]`, ports published on the
 * host, without root.
 *
 * passt (https://passt.top) is a separate program, outside pith's
 * sandbox: it gives the guest a network through ordinary host sockets
 * and forwards the published ports. pith starts it in a private directory
 * (--one-off, and PR_SET_PDEATHSIG: it ends with pith), connects to its
 * UNIX socket and uses that socket as the network device, with frames
 * length-prefixed (kernel/netstream.c).
 *
 *   publish_add()        parse one -p (exits 125 on a bad spec)
 *   publish_count()      how many
 *   publish_check_free() each host port can be bound now, else 125
 *   publish_text()       "8080->80/tcp 5353->53/udp", for pith ps
 *   passt_start()        start passt for the guest's addresses; the
 *                        connected socket, non-blocking
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../monitor/guest.h"
#include "cli.h"

#define PUBLISH_MAX   32
#define PASST_ARGS    (24 + 2 * PUBLISH_MAX)
#define PASST_WAIT_MS 5000 /* for its socket */

struct publish {
	char addr[INET_ADDRSTRLEN]; /* "" for every address */
	uint16_t host, guest;
	bool udp;
};

static struct publish pub[PUBLISH_MAX];
static unsigned npub;

static uint16_t port_of(const char *spec, const char *s, size_t len)
{
	unsigned long v = 0;

	if (len == 0 || len > 5)
		die("run: -p %s: use [HOSTADDR:]HOSTPORT:GUESTPORT[/tcp|udp], e.g. 8080:80", spec);
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			die("run: -p %s: use [HOSTADDR:]HOSTPORT:GUESTPORT[/tcp|udp], e.g. 8080:80",
			    spec);
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v < 1 || v > 65535)
		die("run: -p %s: ports are 1 to 65535", spec);
	return (uint16_t)v;
}

void publish_add(const char *spec)
{
	struct publish p = { .udp = false };
	const char *proto = strchr(spec, '/'), *c1, *c2, *end;
	struct in_addr a;

	if (npub == PUBLISH_MAX)
		die("run: -p %s: more than %d published ports", spec, PUBLISH_MAX);
	end = proto ? proto : spec + strlen(spec);
	if (proto && strcmp(proto, "/tcp") && strcmp(proto, "/udp"))
		die("run: -p %s: the protocol is tcp or udp", spec);
	p.udp = proto && !strcmp(proto, "/udp");
	c1 = memchr(spec, ':', (size_t)(end - spec));
	if (!c1)
		die("run: -p %s: use [HOSTADDR:]HOSTPORT:GUESTPORT[/tcp|udp], e.g. 8080:80", spec);
	c2 = memchr(c1 + 1, ':', (size_t)(end - c1 - 1));
	if (c2) { /* HOSTADDR:HOSTPORT:GUESTPORT */
		size_t alen = (size_t)(c1 - spec);

		if (alen == 0 || alen >= sizeof(p.addr) ||
		    memchr(c2 + 1, ':', (size_t)(end - c2 - 1)))
			die("run: -p %s: HOSTADDR is an IPv4 address, e.g. 127.0.0.1:8080:80",
			    spec);
		memcpy(p.addr, spec, alen);
		p.addr[alen] = '\0';
		if (inet_pton(AF_INET, p.addr, &a) != 1)
			die("run: -p %s: %s is not an IPv4 address", spec, p.addr);
		p.host = port_of(spec, c1 + 1, (size_t)(c2 - c1 - 1));
		p.guest = port_of(spec, c2 + 1, (size_t)(end - c2 - 1));
	} else {
		p.host = port_of(spec, spec, (size_t)(c1 - spec));
		p.guest = port_of(spec, c1 + 1, (size_t)(end - c1 - 1));
	}
	for (unsigned i = 0; i < npub; i++)
		if (pub[i].host == p.host && pub[i].udp == p.udp)
			die("run: -p %s: host port %u/%s is published twice", spec, p.host,
			    p.udp ? "udp" : "tcp");
	pub[npub++] = p;
}

unsigned publish_count(void)
{
	return npub;
}

void publish_check_free(void)
{
	for (unsigned i = 0; i < npub; i++) {
		const struct publish *p = &pub[i];
		struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(p->host) };
		int s = socket(AF_INET, (p->udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0),
		    one = 1;

		if (s < 0)
			die("run: -p: socket: %s", strerror(errno));
		if (p->addr[0])
			inet_pton(AF_INET, p->addr, &sa.sin_addr);
		/* As passt binds: TIME_WAIT is no conflict, a listener is. */
		setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			int e = errno;

			close(s);
			die("run: -p %s%s%u:%u/%s: host port %u/%s: %s", p->addr,
			    p->addr[0] ? ":" : "", p->host, p->guest, p->udp ? "udp" : "tcp",
			    p->host, p->udp ? "udp" : "tcp",
			    e == EADDRINUSE ? "already in use"
			    : e == EACCES   ? "no permission (ports below 1024 need root)"
					    : strerror(e));
		}
		close(s);
	}
}

void publish_text(char *buf, size_t len)
{
	size_t at = 0;

	if (len)
		buf[0] = '\0';
	for (unsigned i = 0; i < npub && at < len; i++) {
		int n = snprintf(buf + at, len - at, "%s%s%s%u->%u/%s", at ? " " : "", pub[i].addr,
				 pub[i].addr[0] ? ":" : "", pub[i].host, pub[i].guest,
				 pub[i].udp ? "udp" : "tcp");

		if (n < 0)
			break;
		at += (size_t)n;
	}
}

/* Is there an executable passt on $PATH? */
static bool passt_found(void)
{
	const char *path = getenv("PATH");
	char buf[4096];

	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");

		if (n > 0 && n + 7 < sizeof(buf)) {
			memcpy(buf, path, n);
			memcpy(buf + n, "/passt", 7);
			if (access(buf, X_OK) == 0)
				return true;
		}
		path += n + (path[n] == ':');
	}
	return false;
}

/* passt's last words: the last non-empty line it wrote. */
static void last_line(const char *file, char *out, size_t len)
{
	char line[512];
	FILE *f = fopen(file, "re");

	snprintf(out, len, "it gave no reason");
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] && !strstr(line, "syslog"))
			snprintf(out, len, "%s", line);
	}
	if (f)
		fclose(f);
}

static void cleanup(const char *dir, const char *sock, const char *log)
{
	unlink(sock);
	unlink(log);
	rmdir(dir);
}

static void add(char **argv, int *k, const char *a)
{
	if (*k + 1 >= PASST_ARGS)
		die("run: --net user: too many passt arguments");
	argv[(*k)++] = (char *)a;
}

static _Noreturn void child(char **argv, const char *log, pid_t parent)
{
	int fd;

	/* It must not outlive pith, nor start if pith is gone already. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(127);
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || dup2(fd, 2) < 0)
		_exit(127);
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd < 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0)
		_exit(127);
	signal(SIGPIPE, SIG_DFL);
	execvp("passt", argv);
	dprintf(2, "cannot run passt: %s\n", strerror(errno));
	_exit(127);
}

int passt_start(const struct run_net *n)
{
	static char dir[256], sock[300], log[300], ip[16], gw[16], dns[16], len[4],
		spec[PUBLISH_MAX][48];
	const char *rt = getenv("XDG_RUNTIME_DIR");
	char *argv[PASST_ARGS], why[512];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timespec tick = { 0, 5000000 };
	pid_t parent = getpid(), pid;
	int k = 0, s, st;

	if (!passt_found())
		die("run: --net user needs passt, which is not installed (apt-get install passt)");
	snprintf(dir, sizeof(dir), "%s/pith-passt-XXXXXX",
		 rt && *rt && access(rt, W_OK) == 0 ? rt : "/tmp");
	if (!mkdtemp(dir))
		die("run: --net user: cannot make a directory for passt's socket: %s: %s", dir,
		    strerror(errno));
	snprintf(sock, sizeof(sock), "%s/sock", dir);
	snprintf(log, sizeof(log), "%s/log", dir);
	if (strlen(sock) >= sizeof(sa.sun_path))
		die("run: --net user: %s: path too long for a socket", sock);
	strcpy(sa.sun_path, sock);
	if (geteuid() == 0) { /* passt drops root for nobody: its socket is made as nobody */
		struct passwd *pw = getpwnam("nobody");

		if (!pw || chown(dir, pw->pw_uid, pw->pw_gid) < 0)
			die("run: --net user: passt runs as user nobody when started by root, "
			    "and there is no such user to give %s to",
			    dir);
	}
	inet_ntop(AF_INET, &n->ip, ip, sizeof(ip));
	inet_ntop(AF_INET, &n->gateway, gw, sizeof(gw));
	snprintf(len, sizeof(len), "%u", n->prefix_len);
	add(argv, &k, "passt");
	add(argv, &k, "--foreground");
	add(argv, &k, "--quiet");
	add(argv, &k, "--one-off");
	add(argv, &k, "--ipv4-only");
	add(argv, &k, "--socket");
	add(argv, &k, sock);
	add(argv, &k, "--address");
	add(argv, &k, ip);
	add(argv, &k, "--netmask");
	add(argv, &k, len);
	add(argv, &k, "--gateway");
	add(argv, &k, gw);
	if (n->dns) {
		inet_ntop(AF_INET, &n->dns, dns, sizeof(dns));
		add(argv, &k, "--dns-forward");
		add(argv, &k, dns);
	}
	for (unsigned i = 0; i < npub; i++) {
		snprintf(spec[i], sizeof(spec[i]), "%.15s%s%u:%u", pub[i].addr,
			 pub[i].addr[0] ? "/" : "", pub[i].host, pub[i].guest);
		add(argv, &k, pub[i].udp ? "--udp-ports" : "--tcp-ports");
		add(argv, &k, spec[i]);
	}
	argv[k] = NULL;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die("run: --net user: cannot start passt: %s", strerror(errno));
	if (pid == 0)
		child(argv, log, parent);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		die("run: --net user: socket: %s", strerror(errno));
	for (int ms = 0;; ms += 5) {
		if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			break;
		if (waitpid(pid, &st, WNOHANG) == pid) {
			last_line(log, why, sizeof(why));
			cleanup(dir, sock, log);
			die("run: --net user: passt failed (%s %d): %s",
			    WIFEXITED(st) ? "status" : "signal",
			    WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st), why);
		}
		if (ms >= PASST_WAIT_MS) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			cleanup(dir, sock, log);
			die("run: --net user: passt did not open its socket within %d s",
			    PASST_WAIT_MS / 1000);
		}
		nanosleep(&tick, NULL);
	}
	cleanup(dir, sock, log);
	if (fcntl(s, F_SETFL, O_NONBLOCK) < 0)
		die("run: --net user: %s", strerror(errno));
	return s;
}
