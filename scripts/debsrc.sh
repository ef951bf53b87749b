#!/bin/sh
# debsrc.sh — fetch a Debian source package into a directory of the build
# tree, through a private sources list: the machine's own apt setup is not
# changed. The archive and keyring are the machine's own (read from
# /etc/apt), the suite its Debian release.
#
# usage: debsrc.sh PACKAGE[=VERSION] WORK_DIR
# Unpacks into WORK_DIR (apt-get source's usual directory name) and prints
# nothing on success. Exit status: 0 fetched, 1 failed (reason on stderr).
set -eu

PKG=$1
WORK=$2

die() { echo "debsrc.sh: $*" >&2; exit 1; }

codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
[ -n "$codename" ] || die "cannot tell the Debian suite from /etc/os-release"

# The machine's Debian archive URI and keyring (deb822 or one-line form).
find_archive() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		awk -v want="$codename" '
			function flush() {
				if (uri != "" && (" " suites " ") ~ (" " want " "))
					{ print uri " " key; found = 1; exit }
				uri = ""; suites = ""; key = ""
			}
			/^[ \t]*$/ { flush(); next }
			/^URIs:/ { uri = $2 }
			/^Suites:/ { $1 = ""; suites = $0 }
			/^Signed-By:/ { key = $2 }
			END { if (!found) flush() }' "$f"
	done | head -n 1 | grep . && return 0
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		awk -v want="$codename" '$1 == "deb" {
			i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
			if ($(i + 1) == want) { print $i; exit } }' "$f"
	done | head -n 1 | grep . && return 0
	die "no Debian archive for suite '$codename' in /etc/apt sources"
}

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
APT="$WORK/apt"
aptopts="-o Dir::Etc::SourceList=$APT/sources.list
	 -o Dir::Etc::SourceParts=$APT/sources.list.d
	 -o Dir::State::Lists=$APT/lists"
if [ ! -s "$APT/sources.list" ] || [ -z "$(ls "$APT/lists" 2>/dev/null | grep -v partial)" ]; then
	set -- $(find_archive)
	mkdir -p "$APT/lists/partial" "$APT/sources.list.d"
	opt=""
	[ -n "${2:-}" ] && opt="[signed-by=$2] "
	echo "deb-src ${opt}$1 $codename main" >"$APT/sources.list"
	# shellcheck disable=SC2086
	apt-get -q $aptopts update >"$WORK/apt.log" 2>&1 ||
		die "apt-get update of the private deb-src list failed (see $WORK/apt.log)"
fi
# shellcheck disable=SC2086
(cd "$WORK" && apt-get -q $aptopts source "$PKG") >>"$WORK/apt.log" 2>&1 ||
	die "cannot fetch Debian source package $PKG (see $WORK/apt.log)"
