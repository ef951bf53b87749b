/*
 * supervise.c — the supervisor of a detached instance (`pith run -d`).
 *
 * One per instance, started by `pith run -d` as `pith __supervise DIR FD`
 * in a session of its own. It holds the instance's lock for as long as it
 * lives, runs the monitor (`pith run ...` as the config says) with stdout
 * and stderr into the log, records every change of state, restarts the
 * instance as its policy says, and takes requests from `pith stop` and
 * `pith kill` as a real-time signal with a value (instance.h). The monitor dies with
 * it (PR_SET_PDEATHSIG), so a supervisor killed outright leaves no
 * orphan, and readers see its lock free and the instance ended. Its own
 * state writes are best effort: on a full disk the instance runs on and
 * the next change is written when it can be.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pith/abi.h>

#include "cli.h"
#include "instance.h"
#include "logfile.h"

#define BACKOFF_FIRST_MS 100
#define BACKOFF_MAX_MS	 10000

struct sup {
	struct instance in;
	struct log_writer log;
	int sfd;       /* signalfd: SIGCHLD, CTL_SIGNAL, SIGTERM, SIGINT, SIGHUP */
	bool stopping; /* a stop asked: no restart */
	int killed_by; /* the last signal pith kill sent: if it ends the
			* instance, that is no failure to restart from */
	pid_t child;   /* the monitor, until reaped */
	int status;    /* its wait status once reaped */
};

/*
 * Record the state. On a full disk the true state matters more than old
 * output: the older log goes, then the current one is emptied, until the
 * state fits. Anything else is left for the next change to write.
 */
static void save_state(struct sup *S)
{
	if (instance_write_state(&S->in) == 0 || errno != ENOSPC)
		return;
	if (unlink(S->log.old) == 0 && instance_write_state(&S->in) == 0) {
		static const char note[] = "pith: disk full: the older log (log.1) was removed "
					   "to record the state\n";

		log_append(&S->log, 2, note, sizeof(note) - 1);
		return;
	}
	if (ftruncate(S->log.fd, 0) == 0) {
		S->log.size = 0;
		static const char note[] =
			"pith: disk full: the log was emptied to record the state\n";

		log_append(&S->log, 2, note, sizeof(note) - 1);
	}
	instance_write_state(&S->in);
}

/* Tell `pith run -d` how the start went; then it is gone. */
static void notify(int *fd, const char *msg)
{
	if (*fd < 0)
		return;
	if (write(*fd, msg, strlen(msg)) < 0) {
		/* pith run -d went away; nothing else to tell */
	}
	close(*fd);
	*fd = -1;
}

static pid_t start_monitor(struct sup *S, int out[2], int err[2])
{
	pid_t sup = getpid(), pid;
	sigset_t none;

	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)
		return -1;
	if ((pid = fork()) != 0)
		return pid;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Ends with its supervisor; the check covers a supervisor that died
	 * before the request was made. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != sup)
		_exit(128 + SIGKILL);
	int null = open("/dev/null", O_RDONLY);

	if (null < 0 || dup2(null, 0) < 0 || dup2(out[1], 1) < 0 || dup2(err[1], 2) < 0)
		_exit(PITH_EXIT_ERROR);
	/* The monitor holds its stdio and nothing else. */
	if (syscall(SYS_close_range, 3, ~0u, 0) < 0)
		for (int fd = 3; fd < 1024; fd++)
			close(fd);
	execv(S->in.argv[0], S->in.argv);
	dprintf(2, "pith: cannot run %s: %s\n", S->in.argv[0], strerror(errno));
	_exit(PITH_EXIT_ERROR);
}

/* A request (CTL_SIGNAL), a stop of the supervisor itself, or a child. */
static void on_signal(struct sup *S)
{
	struct signalfd_siginfo si;

	while (read(S->sfd, &si, sizeof(si)) == sizeof(si)) {
		int sig = 0;

		if (si.ssi_signo == SIGCHLD) {
			if (S->child > 0 && waitpid(S->child, &S->status, WNOHANG) == S->child)
				S->child = 0;
			continue;
		}
		if ((int)si.ssi_signo == CTL_SIGNAL) {
			sig = si.ssi_int & 0xff;
			if (si.ssi_int & CTL_NO_RESTART)
				S->stopping = true;
			else
				S->killed_by = sig;
		} else { /* SIGTERM, SIGINT, SIGHUP: stop, as pith stop would */
			sig = SIGTERM;
			S->stopping = true;
		}
		/* Still ours until reaped: the pid cannot have been reused. */
		if (sig > 0 && sig < 65 && S->child > 0)
			kill(S->child, sig);
	}
}

/* Run the monitor once: log its output until it has ended and said all. */
static int run_once(struct sup *S, int *notify_fd)
{
	static char buf[LOG_REC_MAX];
	int out[2], err[2];
	struct pollfd p[3];

	S->child = start_monitor(S, out, err);
	if (S->child < 0) {
		char msg[256];

		snprintf(msg, sizeof(msg), "cannot start the instance: %s", strerror(errno));
		notify(notify_fd, msg);
		return PITH_EXIT_ERROR;
	}
	close(out[1]);
	close(err[1]);
	S->in.status = ST_RUNNING;
	S->in.pid = S->child;
	S->in.started_ns = wall_ns();
	S->in.finished_ns = 0;
	save_state(S);
	notify(notify_fd, "ok");

	p[0] = (struct pollfd){ .fd = out[0], .events = POLLIN };
	p[1] = (struct pollfd){ .fd = err[0], .events = POLLIN };
	p[2] = (struct pollfd){ .fd = S->sfd, .events = POLLIN };
	while (S->child > 0 || p[0].fd >= 0 || p[1].fd >= 0) {
		if (poll(p, 3, -1) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (p[i].fd < 0 || !p[i].revents)
				continue;
			n = read(p[i].fd, buf, sizeof(buf));
			if (n > 0) {
				log_append(&S->log, i + 1, buf, (size_t)n);
			} else if (n == 0 || errno != EINTR) {
				close(p[i].fd);
				p[i].fd = -1; /* poll skips negative fds */
			}
		}
		if (p[2].revents)
			on_signal(S);
	}
	if (WIFEXITED(S->status))
		return WEXITSTATUS(S->status);
	return 128 + WTERMSIG(S->status);
}

/* Wait MS before a restart, or less if a stop comes. */
static void backoff(struct sup *S, int ms)
{
	int64_t end = wall_ns() + (int64_t)ms * 1000000;
	struct pollfd p = { .fd = S->sfd, .events = POLLIN };

	while (!S->stopping) {
		int64_t left = end - wall_ns();

		if (left <= 0)
			break;
		if (poll(&p, 1, (int)(left / 1000000) + 1) > 0)
			on_signal(S);
	}
}

int cmd_supervise(int argc, char **argv)
{
	struct sup S = { .sfd = -1 };
	char path[PATH_MAX], err[512];
	struct store st = { .lock_fd = -1 };
	const char *slash;
	int notify_fd, lock, backoff_ms = BACKOFF_FIRST_MS;
	sigset_t set;
	bool missing;

	if (argc != 3)
		die("__supervise: internal command; use pith run -d");
	notify_fd = atoi(argv[2]);
	/* Only we may hold it: `pith run -d` reads it to its end. */
	if (fcntl(notify_fd, F_SETFD, FD_CLOEXEC) < 0)
		return PITH_EXIT_ERROR;
	/* The store root is two levels up: ROOT/instances/NAME. */
	slash = strrchr(argv[1], '/');
	if (!slash || slash - argv[1] < 11 || strncmp(slash - 10, "/instances", 10) != 0)
		die("__supervise: %s is not an instance directory", argv[1]);
	snprintf(st.root, sizeof(st.root), "%.*s", (int)(slash - argv[1] - 10), argv[1]);
	snprintf(path, sizeof(path), "%s/lock", argv[1]);
	/* Readers share the lock for a moment at a time: wait them out. */
	lock = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lock < 0) {
		snprintf(err, sizeof(err), "cannot open %.300s: %s", path, strerror(errno));
		notify(&notify_fd, err);
		return PITH_EXIT_ERROR;
	}
	while (flock(lock, LOCK_EX) < 0)
		if (errno != EINTR) {
			notify(&notify_fd, "cannot lock the instance");
			return PITH_EXIT_ERROR;
		}
	if (instance_load(&st, slash + 1, &S.in, &missing, err, sizeof(err)) < 0) {
		notify(&notify_fd, err);
		return PITH_EXIT_ERROR;
	}
	if (log_open(&S.log, S.in.dir, S.in.log_max) < 0) {
		snprintf(err, sizeof(err), "cannot open the log in %.300s: %s", S.in.dir,
			 strerror(errno));
		notify(&notify_fd, err);
		return PITH_EXIT_ERROR;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, CTL_SIGNAL);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	S.sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (S.sfd < 0) {
		notify(&notify_fd, "signalfd failed");
		return PITH_EXIT_ERROR;
	}
	S.in.supervisor = (int)getpid();
	S.in.supervisor_start = proc_start_time(S.in.supervisor);
	if (!S.in.supervisor_start) {
		notify(&notify_fd, "cannot read /proc/self/stat");
		return PITH_EXIT_ERROR;
	}

	for (;;) {
		int code = (S.killed_by = 0, run_once(&S, &notify_fd));
		bool again = !S.stopping && S.in.restart_max >= 0 && code != 0 &&
			     !(S.killed_by && code == 128 + S.killed_by) &&
			     (S.in.restart_max == 0 || S.in.restarts < (unsigned)S.in.restart_max);

		S.in.exit_code = code & 0xff;
		S.in.pid = 0;
		S.in.finished_ns = wall_ns();
		S.in.status = again ? ST_RESTARTING : ST_EXITED;
		save_state(&S);
		if (!again || notify_fd >= 0)
			break;
		backoff(&S, backoff_ms);
		if (S.stopping) {
			S.in.status = ST_EXITED;
			save_state(&S);
			break;
		}
		backoff_ms = backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff_ms * 2;
		S.in.restarts++;
	}
	if (S.in.rm)
		instance_remove(S.in.dir);
	instance_free(&S.in);
	return 0;
}
