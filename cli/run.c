/*
 * run.c — `pith run`: boot an image on KVM, or as a sandboxed process.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../monitor/hvt.h"
#include "../monitor/image.h"
#include "../monitor/process.h"
#include "../monitor/seccomp.h"
#include "../monitor/util.h"
#include "cli.h"
#include "detach.h"
#include "instance.h"
#include "logfile.h"
#include "pithfile.h"

#define DEFAULT_MEM (128ull << 20)
#define MAX_ENV	    1024
#define MAX_ARGS    4096 /* from an image's CMD */

enum target { T_AUTO, T_HVT, T_PROCESS };

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pith run [-m SIZE] [-e KEY[=VAL]]... [--target auto|hvt|process]\n"
		"                [--hostname NAME] [-v HOST:GUEST[:ro]]... [-q] [--verbose]\n"
		"                [--net tap:NAME|fd:N|user|none [--ip ADDR/LEN] [--gw ADDR]\n"
		"                [--dns ADDR] [--mac MAC]] [-p [HOSTADDR:]HOSTPORT:PORT[/udp]]...\n"
		"                [-d [--name NAME] [--rm] [--restart POLICY] [--log-max SIZE]]\n"
		"                IMAGE [ARG...]\n\n"
		"Boot IMAGE and pass it ARGs; its stdin, stdout and stderr are pith's.\n"
		"IMAGE is a file, else a name or ID in the store (see pith images),\n"
		"whose Pithfile defaults apply where the command line says nothing.\n"
		"  -m, --memory SIZE   guest memory, e.g. 1M, 64M, 2G (default 128M)\n"
		"  -e, --env KEY=VAL   set an environment variable (KEY alone: copy pith's)\n"
		"      --target T      hvt: KVM; process: sandboxed process; auto (default):\n"
		"                      hvt when /dev/kvm can be used, else process\n"
		"      --hostname NAME the guest's host name (default pith)\n"
		"  -v, --volume HOST:GUEST[:ro]\n"
		"                      show host directory HOST at GUEST (read-only with :ro)\n"
		"      --net tap:NAME  an Ethernet device on the host's tap NAME (fd:N: a tap\n"
		"                      fd already open; user: through passt, without root,\n"
		"                      10.0.2.15/24 unless --ip; none: no device, the default)\n"
		"  -p, --publish [HOSTADDR:]HOSTPORT:PORT[/tcp|udp]\n"
		"                      forward the host's HOSTPORT to the guest's PORT\n"
		"                      (implies --net user; repeatable)\n"
		"      --ip ADDR/LEN   the guest's IPv4 address and prefix (e.g. 10.0.0.2/24)\n"
		"      --gw ADDR       its default gateway, inside that prefix\n"
		"      --dns ADDR      its DNS server\n"
		"      --mac MAC       its MAC address (default: random, locally administered)\n"
		"  -q, --quiet         no notes about unimplemented system calls\n"
		"      --verbose       say which target ran and why, and count exits\n"
		"  -d, --detach        run in the background as an instance (see pith ps,\n"
		"                      logs, stop, rm); prints its name\n"
		"      --name NAME     the instance's name (default: IMAGE-XXXXXX)\n"
		"      --rm            remove the instance when it ends\n"
		"      --restart P     no (default), on-failure, on-failure:N (at most N)\n"
		"      --log-max SIZE  rotate the log past SIZE (default 8M; 2 files kept)\n\n"
		"Exit status: the program's own; 128+N when it died of signal N (139 for\n"
		"a crash, 134 for abort); 125 when pith could not run it; 159 when the\n"
		"guest broke the sandbox. With -d: 0 once the instance runs, else 125.\n");
}

static int run_hvt(const struct elf_image *img, const struct run_opts *o, enum target t)
{
	static struct hvt h; /* big; keep it off the stack */
	char err[256];
	enum hvt_open_err oe = hvt_open(&h, err, sizeof(err));
	int status;

	if (oe != HVT_OK) {
		if (t == T_AUTO) {
			if (o->verbose)
				fprintf(stderr, "pith: target process (%s)\n", err);
			return -1;
		}
		if (oe == HVT_NO_DEVICE)
			die("%s: KVM is not available on this host; load kvm_intel or kvm_amd, "
			    "or use --target process",
			    err);
		if (oe == HVT_NO_ACCESS)
			die("%s: add your user to the 'kvm' group (or fix its permissions), "
			    "or use --target process",
			    err);
		die("%s", err);
	}
	if (o->verbose)
		fprintf(stderr, "pith: target hvt (/dev/kvm is usable)\n");
	if (hvt_create(&h, img, o, err, sizeof(err)) < 0)
		die("%s", err);
	signal(SIGPIPE, SIG_IGN);
	if (seccomp_lock_hvt(h.vcpu, o->nvol > 0, o->net.on, err, sizeof(err)) < 0)
		die("%s", err);
	status = hvt_run(&h);
	/* Under seccomp: no atexit handlers, no sanitizer epilogue (its leak
	 * check would need calls the filter forbids): the raw call. */
	syscall(SYS_exit_group, status);
	_exit(status);
}

static size_t key_len(const char *kv)
{
	const char *eq = strchr(kv, '=');

	return eq ? (size_t)(eq - kv) : strlen(kv);
}

/* A stored image's defaults where the command line said nothing: its CMD
 * when no ARG follows IMAGE, its ENV under the -e values (a -e KEY
 * replaces the image's KEY), its MEMORY without -m, its HOSTNAME. */
static void apply_defaults(struct run_opts *o, const struct pithfile *d, bool mem_given)
{
	static char *args[MAX_ARGS + 2], *env[MAX_ENV + 1];
	int n = 0;

	if (d->has_args && o->argc == 1) {
		if (d->nargs > MAX_ARGS)
			die("run: the image's CMD has more than %d arguments", MAX_ARGS);
		args[0] = o->argv[0];
		for (size_t i = 0; i < d->nargs; i++)
			args[i + 1] = d->args[i];
		o->argv = args;
		o->argc = (int)d->nargs + 1;
	}
	for (size_t i = 0; i < d->nenv; i++) {
		bool overridden = false;

		for (int j = 0; j < o->envc && !overridden; j++)
			overridden = key_len(o->envp[j]) == key_len(d->env[i]) &&
				     !strncmp(o->envp[j], d->env[i], key_len(d->env[i]));
		if (!overridden) {
			if (n == MAX_ENV)
				die("run: more than %d environment variables", MAX_ENV);
			env[n++] = d->env[i];
		}
	}
	if (n) {
		if (n + o->envc > MAX_ENV)
			die("run: more than %d environment variables", MAX_ENV);
		memcpy(env + n, o->envp, (size_t)o->envc * sizeof(*env));
		o->envp = env;
		o->envc += n;
	}
	if (!mem_given && d->memory)
		o->mem_size = d->memory;
	if (!o->hostname && d->hostname)
		o->hostname = d->hostname;
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "memory", required_argument, 0, 'm' },
		{ "env", required_argument, 0, 'e' },
		{ "target", required_argument, 0, 't' },
		{ "hostname", required_argument, 0, 'H' },
		{ "quiet", no_argument, 0, 'q' },
		{ "verbose", no_argument, 0, 'V' },
		{ "volume", required_argument, 0, 'v' },
		{ "detach", no_argument, 0, 'd' },
		{ "name", required_argument, 0, 'N' },
		{ "rm", no_argument, 0, 'R' },
		{ "restart", required_argument, 0, 'r' },
		{ "log-max", required_argument, 0, 'L' },
		{ "argv0", required_argument, 0, '0' },
		{ "net", required_argument, 0, NET_OPT_NET },
		{ "ip", required_argument, 0, NET_OPT_IP },
		{ "gw", required_argument, 0, NET_OPT_GW },
		{ "dns", required_argument, 0, NET_OPT_DNS },
		{ "mac", required_argument, 0, NET_OPT_MAC },
		{ "publish", required_argument, 0, 'p' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	static struct detach d = { .restart_max = -1, .log_max = LOG_MAX_DEFAULT };
	const char *argv0 = NULL;
	static char *env[MAX_ENV + 1];
	struct run_opts o = { .mem_size = DEFAULT_MEM, .envp = env };
	struct image_file f;
	enum target t = T_AUTO;
	struct pithfile defs;
	char err[256], id[65];
	bool mem_given = false;
	int c, envc_before;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:m:e:qv:p:dh", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (parse_size(optarg, &o.mem_size) < 0 || o.mem_size == 0)
				die("run: -m %s: not a size (e.g. 64M, 1G)", optarg);
			if (o.mem_size % 4096 || o.mem_size > PITH_MEM_MAX)
				die("run: -m %s: must be a multiple of 4K, at most 4G", optarg);
			mem_given = true;
			detach_forward(&d, "-m", optarg);
			break;
		case 'e':
			envc_before = o.envc;
			if (o.envc == MAX_ENV)
				die("run: more than %d -e options", MAX_ENV);
			if (strchr(optarg, '=')) {
				env[o.envc++] = optarg;
			} else if (getenv(optarg)) {
				size_t n = strlen(optarg) + strlen(getenv(optarg)) + 2;
				char *kv = malloc(n);

				if (!kv)
					die("run: out of memory");
				snprintf(kv, n, "%s=%s", optarg, getenv(optarg));
				env[o.envc++] = kv;
			}
			if (o.envc > envc_before)
				detach_forward(&d, "-e", env[o.envc - 1]);
			break;
		case 't':
			if (!strcmp(optarg, "hvt"))
				t = T_HVT;
			else if (!strcmp(optarg, "process"))
				t = T_PROCESS;
			else if (!strcmp(optarg, "auto"))
				t = T_AUTO;
			else
				die("run: --target %s: use hvt, process or auto", optarg);
			detach_forward(&d, "--target", optarg);
			break;
		case 'H':
			if (!hostname_ok(optarg))
				die("run: --hostname %s: use 1 to 63 letters, digits, inner "
				    "hyphens and dots",
				    optarg);
			o.hostname = optarg;
			detach_forward(&d, "--hostname", optarg);
			break;
		case 'q':
			o.quiet = true;
			detach_forward(&d, "-q", NULL);
			break;
		case 'V':
			o.verbose = true;
			detach_forward(&d, "--verbose", NULL);
			break;
		case 'v':
			volume_add(&o, optarg);
			detach_forward_volume(&d, optarg);
			break;
		case 'd':
			d.on = true;
			break;
		case 'N':
			if (!instance_name_ok(optarg))
				die("run: --name %s: use 1 to 64 letters, digits, _ . - "
				    "(not first)",
				    optarg);
			d.name = optarg;
			break;
		case 'R':
			d.rm = true;
			break;
		case 'r':
			if ((d.restart_max = parse_restart(optarg)) == -2)
				die("run: --restart %s: use no, on-failure or on-failure:N",
				    optarg);
			break;
		case 'L':
			if (parse_size(optarg, &d.log_max) < 0 || d.log_max < 4096)
				die("run: --log-max %s: a size of at least 4K", optarg);
			break;
		case '0':
			argv0 = optarg;
			break;
		case 'p':
			publish_add(optarg);
			detach_forward(&d, "-p", optarg);
			break;
		case NET_OPT_NET:
		case NET_OPT_IP:
		case NET_OPT_GW:
		case NET_OPT_DNS:
		case NET_OPT_MAC:
			net_option(c, optarg);
			detach_forward(&d, net_option_name(c), optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			bad_option("run", c, argv[optind - 1]);
		}
	}
	if (optind >= argc)
		die("run: no image given (see pith run --help)");
	if (!d.on && (d.name || d.rm || d.restart_max != -1))
		die("run: --name, --rm and --restart are for detached instances (-d)");
	o.argv = argv + optind;
	o.argc = argc - optind;
	net_setup(&o, d.on);
	o.net.stats = o.verbose;

	image_lookup("run", argv[optind], &f, &defs, id);
	apply_defaults(&o, &defs, mem_given);
	if (d.on) { /* the monitor applies the defaults itself; o says what they came to */
		int r = run_detached(&d, argv[optind], id, argv + optind, argc - optind, &o, &defs);

		pithfile_free(&defs);
		image_close(&f);
		return r;
	}
	if (argv0)
		argv[optind] = (char *)argv0; /* an instance's: the name it was run by */
	if (t != T_PROCESS && (f.img.note.targets & PITH_TARGET_HVT)) {
		if (run_hvt(&f.img, &o, t) >= 0)
			return 0; /* not reached: run_hvt exits */
	} else if (t == T_HVT) {
		die("%s: image cannot run on hvt", argv[optind]);
	}
	if (!(f.img.note.targets & PITH_TARGET_PROCESS))
		die("%s: image cannot run as a process", argv[optind]);
	if (t == T_PROCESS && o.verbose)
		fprintf(stderr, "pith: target process (--target process)\n");
	/* Returns only when the guest could not start. */
	process_run(&f.img, &o, err, sizeof(err));
	die("%s", err);
}
