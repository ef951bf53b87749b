/*
 * build.c — `pith build`: a Pithfile's project into the image store.
 *
 * The BUILD commands run in the project directory with this pith first
 * on PATH (so `pith cc` and `pith-cc` are the ones building) and, when
 * the Pithfile has FILES, PITH_FILES set so every `pith cc` link bakes
 * them. The image they write is checked, copied into the store with the
 * Pithfile's run-time defaults, and tagged.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../monitor/image.h"
#include "cli.h"
#include "pithfile.h"
#include "store.h"

#define MAX_TAGS 64

static void usage(FILE *f)
{
	fprintf(f, "usage: pith build [-t NAME[:TAG]]... [-f PITHFILE] [-q] [DIR]\n\n"
		   "Build the project in DIR (default .) as its Pithfile says, and keep\n"
		   "the image in the local store (see pith images). Prints the image ID.\n"
		   "  -t, --tag NAME[:TAG]  name the image (TAG latest when not given)\n"
		   "  -f, --file PITHFILE   the Pithfile to read (default DIR/Pithfile)\n"
		   "  -q, --quiet           show a BUILD command's output only if it fails\n\n"
		   "The store is $PITH_HOME, else $XDG_DATA_HOME/pith, else\n"
		   "~/.local/share/pith. The Pithfile format: docs/pithfile.md.\n"
		   "Exit status: 0 built; 1 a BUILD command failed (its output is shown);\n"
		   "125 anything else (a one-line reason).\n");
}

/* PATH with the directory of this pith first; PITH_FILES for FILES. */
static void build_env(const char *proj, const struct pithfile *pf)
{
	char exe[PATH_MAX], *slash, *path;
	const char *old = getenv("PATH");
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		die("build: cannot find pith's own path: %s", strerror(errno));
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')))
		*slash = '\0';
	if (asprintf(&path, "%s:%s", exe, old && *old ? old : "/usr/bin:/bin") < 0 ||
	    setenv("PATH", path, 1) < 0 || setenv("PITH_LIBDIR", pith_libdir(), 1) < 0)
		die("build: out of memory");
	free(path);
	if (pf->files_host) {
		char *host, *files;
		struct stat st;

		if (asprintf(&host, "%s/%s", proj, pf->files_host) < 0)
			die("build: out of memory");
		if (stat(host, &st) < 0)
			die("build: FILES %s: %s", pf->files_host, strerror(errno));
		if (!S_ISDIR(st.st_mode))
			die("build: FILES %s: not a directory", pf->files_host);
		if (asprintf(&files, "%s:%s", host, pf->files_guest) < 0 ||
		    setenv("PITH_FILES", files, 1) < 0)
			die("build: out of memory");
		free(host);
		free(files);
	} else {
		unsetenv("PITH_FILES");
	}
}

/* Show the captured output of a failed command on stderr. */
static void show_output(int fd)
{
	char buf[8192];
	ssize_t r;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return;
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		if (write(2, buf, (size_t)r) != r)
			return;
}

/* Run one BUILD command in PROJ; its status as a shell reports it. */
static int run_step(const char *proj, const char *cmd, int quiet, int *capture)
{
	int st, null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	pid_t pid;

	if (null < 0)
		die("build: /dev/null: %s", strerror(errno));
	if (quiet && *capture < 0) {
		char tmpl[] = "/tmp/pith-build.XXXXXX";

		if ((*capture = mkostemp(tmpl, O_CLOEXEC)) < 0)
			die("build: cannot make a temporary file: %s", strerror(errno));
		unlink(tmpl);
	}
	if (quiet && (ftruncate(*capture, 0) < 0 || lseek(*capture, 0, SEEK_SET) < 0))
		die("build: temporary file: %s", strerror(errno));
	fflush(NULL);
	if ((pid = fork()) < 0)
		die("build: fork: %s", strerror(errno));
	if (pid == 0) {
		setpgid(0, 0); /* a group of its own: what it leaves behind ends with it */
		/* A build never waits for input; its output goes to stderr (stdout
		 * is for the image ID), or to the file when quiet. */
		if (dup2(null, 0) < 0 || dup2(quiet ? *capture : 2, 1) < 0 || dup2(1, 2) < 0 ||
		    chdir(proj) < 0) {
			fprintf(stderr, "pith: build: %s: %s\n", proj, strerror(errno));
			_exit(125);
		}
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		fprintf(stderr, "pith: build: cannot run /bin/sh: %s\n", strerror(errno));
		_exit(125);
	}
	close(null);
	setpgid(pid, pid); /* also here: whichever runs first */
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die("build: waitpid: %s", strerror(errno));
	/* A step is over when its command is: anything it started in the
	 * background would hold pith's output open and race the next step,
	 * so it ends here, as a Dockerfile's RUN does. */
	kill(-pid, SIGKILL);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The image the build wrote must be one pith can run, and hold the
 * files FILES asked for. */
static void check_image(const char *pithfile, const char *path, const struct pithfile *pf)
{
	struct image_file f;
	int r = image_open(&f, path);

	if (r < 0)
		die("%s: IMAGE %s: %s", pithfile, pf->image,
		    r == ELF_WRONG_ABI ? "built for another pith (rebuild it)" : f.img.err);
	if (pf->files_host && f.img.files_len == 0)
		die("%s: IMAGE %s holds no baked files: FILES needs it linked by pith cc in a "
		    "BUILD command",
		    pithfile, pf->image);
	image_close(&f);
}

/* The defaults as the store keeps them, checked to read back the same. */
static char *defaults_text(const char *pithfile, const struct pithfile *pf, const char *blob)
{
	char image[32 + SHA256_HEX], err[512];
	struct pithfile back;
	char *text;

	snprintf(image, sizeof(image), "blobs/sha256/%s", blob);
	if (!(text = pithfile_emit(pf, image)))
		die("%s: ENV or CMD values cannot be stored (a line end in a word?)", pithfile);
	if (pithfile_parse("defaults", text, strlen(text), &back, err, sizeof(err)) < 0)
		die("build: internal error: stored defaults do not parse: %s", err);
	pithfile_free(&back);
	return text;
}

int cmd_build(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tag", required_argument, 0, 't' },
		{ "file", required_argument, 0, 'f' },
		{ "quiet", no_argument, 0, 'q' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	char refs[MAX_TAGS][REF_MAX], proj[PATH_MAX], pfpath[PATH_MAX], image[PATH_MAX];
	char blob[SHA256_HEX + 1], id[SHA256_HEX + 1], err[512], stored[PATH_MAX];
	const char *dir = ".", *file = NULL;
	int c, quiet = 0, capture = -1;
	size_t nrefs = 0, len;
	struct pithfile pf;
	struct store s;
	struct tags t;
	struct stat st;
	uint64_t size;
	char *text;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:t:f:qh", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (nrefs == MAX_TAGS)
				die("build: more than %d -t options", MAX_TAGS);
			if (ref_parse(optarg, refs[nrefs++]) < 0)
				die("build: -t %s: not NAME[:TAG] (NAME: a-z 0-9 . _ - /; "
				    "TAG: A-Z a-z 0-9 _ . -)",
				    optarg);
			break;
		case 'f':
			file = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			bad_option("build", c, argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		die("build: give one project directory (see pith build --help)");
	if (optind < argc)
		dir = argv[optind];
	if (!realpath(dir, proj))
		die("build: %s: %s", dir, strerror(errno));
	if (stat(proj, &st) < 0 || !S_ISDIR(st.st_mode))
		die("build: %s: not a directory", dir);
	if ((size_t)snprintf(pfpath, sizeof(pfpath), "%s%s%s", file ? "" : dir, file ? "" : "/",
			     file ? file : "Pithfile") >= sizeof(pfpath))
		die("build: path too long");
	if (!(text = read_small_file(pfpath, PITHFILE_MAX, &len, &st)))
		die("build: %s: %s", pfpath,
		    errno == ENOENT  ? "no such file (write one: see docs/pithfile.md)"
		    : errno == EFBIG ? "larger than 1 MiB"
				     : strerror(errno));
	if (pithfile_parse(pfpath, text, len, &pf, err, sizeof(err)) < 0)
		die("%s", err);
	free(text);

	build_env(proj, &pf);
	for (size_t i = 0; i < pf.nbuild; i++) {
		int status;

		if (!quiet)
			fprintf(stderr, "pith: build: [%zu/%zu] %s\n", i + 1, pf.nbuild,
				pf.build[i]);
		status = run_step(proj, pf.build[i], quiet, &capture);
		if (status != 0) {
			if (quiet)
				show_output(capture);
			fprintf(stderr, "pith: %s:%u: BUILD failed (%s %d): %s\n", pfpath,
				pf.build_line[i], status > 128 ? "signal" : "exit status",
				status > 128 ? status - 128 : status, pf.build[i]);
			pithfile_free(&pf);
			return 1;
		}
	}
	if (capture >= 0)
		close(capture);

	if ((size_t)snprintf(image, sizeof(image), "%s/%s", proj, pf.image) >= sizeof(image))
		die("build: IMAGE %s: path too long", pf.image);
	check_image(pfpath, image, &pf);
	store_open(&s, 1);
	store_put_blob(&s, image, blob, &size);
	/* Checked again as stored: the project's file may have changed
	 * since (a process a BUILD line left behind, another build). */
	snprintf(stored, sizeof(stored), "%s/blobs/sha256/%s", s.root, blob);
	check_image(pfpath, stored, &pf);
	text = defaults_text(pfpath, &pf, blob);
	store_put_image(&s, text, id);
	free(text);
	store_tags_read(&s, &t);
	for (size_t i = 0; i < nrefs; i++)
		tags_set(&t, refs[i], id);
	if (nrefs)
		store_tags_write(&s, &t);
	store_tags_free(&t);
	store_close(&s);
	pithfile_free(&pf);

	if (!quiet) {
		fprintf(stderr, "pith: build: image %.12s, %llu bytes", id,
			(unsigned long long)size);
		for (size_t i = 0; i < nrefs; i++)
			fprintf(stderr, "%s%s", i ? ", " : " as ", refs[i]);
		fputc('\n', stderr);
	}
	printf("sha256:%s\n", id);
	return 0;
}
