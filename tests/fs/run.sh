#!/bin/bash
# fs/run.sh — files baked into an image (pith cc --pith-files): the guest
# sees the host tree as it was (bytes, modes, links, listings), read-only;
# pith cc refuses what it cannot bake.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib.sh"
cd "$TMP" || exit 1
CC=$ROOT/build/bin/pith-cc

# A tree with text, binary, empty and larger files, nested directories,
# modes and relative links.
mkdir -p tree/www/css tree/empty-dir tree/bin
printf '<h1>hello</h1>\n' >tree/www/index.html
printf 'body { color: red; }\n' >tree/www/css/site.css
head -c 300000 /dev/urandom >tree/bin/blob
: >tree/empty
printf '#!/bin/sh\n' >tree/bin/tool
chmod 755 tree/bin/tool
chmod 600 tree/www/css/site.css
ln -s index.html tree/www/home.html
ln -s ../www tree/bin/site

"$CC" -O2 -o baked "$ROOT/tests/fs/baked.c" --pith-files=tree:/data 2>cc.err ||
	fail fs/build "$(head -c 300 cc.err)"
musl-gcc -static -O2 -o baked.native "$ROOT/tests/fs/baked.c" 2>/dev/null
mkdir host && cp -a tree host/data
(cd host && ../baked.native >../want.out)
for t in $(targets); do
	limit 30 "$PITH" run --target "$t" ./baked >got.out 2>got.err
	st=$?
	if [ $st = 0 ] && cmp -s want.out got.out && ! sanitizer_spoke got.err; then
		ok "fs/baked-tree/$t"
	else
		fail "fs/baked-tree/$t" "status $st; $(diff want.out got.out | head -5 | tr '\n' '|') $(head -c 200 got.err)"
	fi
done

# pith inspect counts them: every entry of the tree, and /data itself.
n=$(find tree | wc -l)
check fs/inspect-files grep -q "^files: *$n baked in" <("$ROOT/build/bin/pith" inspect baked)
check fs/inspect-files-json python3 -c "import json,sys; j=json.load(sys.stdin); sys.exit(j['files']['count'] != $n)" < <("$ROOT/build/bin/pith" inspect --json baked)

# Read-only in the guest: writes, creates, removals, renames, chmod.
cat >ro.c <<'C'
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#define T(what, call) do { errno = 0; long r_ = (long)(call); \
	printf("%s %s\n", what, r_ < 0 ? strerror(errno) : "succeeded"); } while (0)
int main(void)
{
	T("open for writing", open("/data/www/index.html", O_WRONLY));
	T("truncate", truncate("/data/www/index.html", 0));
	T("create", open("/data/www/new", O_CREAT | O_WRONLY, 0644));
	T("unlink", unlink("/data/www/index.html"));
	T("rename", rename("/data/www/index.html", "/data/www/x"));
	T("mkdir", mkdir("/data/www/d", 0755));
	T("chmod", chmod("/data/bin/tool", 0700));
	T("rmdir", rmdir("/data/empty-dir"));
	T("tmp create", open("/tmp/scratch", O_CREAT | O_WRONLY, 0644));
	return 0;
}
C
"$CC" -o ro ro.c --pith-files=tree:/data 2>cc.err || fail fs/build-ro "$(head -c 300 cc.err)"
want=$(printf '%s Read-only file system\n' "open for writing" truncate create unlink rename \
	mkdir chmod rmdir; echo "tmp create succeeded")
for t in $(targets); do
	out=$(limit 30 "$PITH" run --target "$t" ./ro 2>&1)
	check "fs/read-only/$t" [ "$out" = "$want" ]
done
have_kvm || skip fs/hvt "$KVM_WHY"

# /etc/hosts and /etc/hostname, from --hostname.
"$CC" -o hosts "$ROOT/tests/fs/hosts.c" 2>cc.err || fail fs/build-hosts "$(head -c 300 cc.err)"
for t in $(targets); do
	out=$(limit 30 "$PITH" run --target "$t" --hostname web1 ./hosts 2>&1)
	check "fs/etc-hosts/$t" [ "$out" = "$(printf 'hostname file: web1\ngetaddrinfo localhost: 0 127.0.0.1')" ]
done

# /proc names what only pith has: a volume in the mounts, fds open on a
# baked file and a volume file, the console (a pipe here), exe, comm and
# the host name.
"$CC" -o procfs-fs "$ROOT/tests/fs/procfs.c" --pith-files=tree:/data 2>cc.err ||
	fail fs/build-procfs "$(head -c 300 cc.err)"
mkdir -p volhost
want=$(printf '%s\n' mounts: 'rootfs / ramfs rw 0 0' 'proc /proc proc rw,nosuid,nodev,noexec 0 0' \
	'volume0 /vol hostfs rw 0 0' 'baked: /data/www/index.html' 'volume: /vol/file' \
	'stdout: pipe:[2]' 'exe: /procfs-fs' comm: procfs-fs hostname: web1)
for t in $(targets); do
	out=$(limit 30 "$PITH" run --target "$t" --hostname web1 -v "$TMP/volhost:/vol" ./procfs-fs 2>&1)
	if [ "$out" = "$want" ]; then
		ok "fs/procfs-names/$t"
	else
		fail "fs/procfs-names/$t" "$(diff <(echo "$want") <(echo "$out") | head -8 | tr '\n' '|')"
	fi
done

# A full file system: ENOSPC, then room again once a file is gone.
"$CC" -o full "$ROOT/tests/fs/full.c" 2>cc.err || fail fs/build-full "$(head -c 300 cc.err)"
for t in $(targets); do
	out=$(limit 60 "$PITH" run -m 16M --target "$t" ./full 2>&1)
	mib=$(echo "$out" | sed -n 's/^wrote \([0-9]*\) MiB then: No space left on device$/\1/p')
	if [ -n "$mib" ] && [ "$mib" -ge 10 ] &&
		echo "$out" | grep -qx 'create after full: No space left on device' &&
		echo "$out" | grep -qx 'after unlink: write 65536'; then
		ok "fs/enospc/$t"
	else
		fail "fs/enospc/$t" "$(echo "$out" | tr '\n' '|' | head -c 300)"
	fi
done

# What pith cc refuses: one line, status 125.
refuse() { # NAME ERE ARGS...
	local name=$1 re=$2
	shift 2
	"$CC" -o never "$@" >out 2>err
	local st=$?
	if [ $st = 125 ] && [ "$(wc -l <err)" = 1 ] && grep -qE "$re" err; then
		ok "fs/$name"
	else
		fail "fs/$name" "status $st: $(head -c 200 err | tr '\n' '|')"
	fi
}
refuse missing-dir 'no-such-dir' "$ROOT/tests/fs/baked.c" --pith-files=no-such-dir
refuse compile-only 'only when linking' -c "$ROOT/tests/fs/baked.c" --pith-files=tree
refuse twice 'given twice' "$ROOT/tests/fs/baked.c" --pith-files=tree --pith-files=tree
refuse dotdot 'no \. or \.\.' "$ROOT/tests/fs/baked.c" --pith-files=tree:/a/../b
mkfifo tree2 2>/dev/null; mkdir -p odd && mkfifo odd/fifo
refuse fifo 'not a file, directory or link' "$ROOT/tests/fs/baked.c" --pith-files=odd
