#!/bin/sh
# deps.sh — install what pith needs from Debian's packages, if missing.
#
# Idempotent: packages already present are left alone and apt is not
# touched at all when nothing is missing. Must run as root (or through sudo)
# when something is missing. Exit status: 0 ready, 1 could not install.
set -eu

# gcc/make/binutils build everything; dpkg-dev lets `apt-get source` unpack
# musl; libseccomp-dev compiles the seccomp filters at build time;
# musl-tools builds the release binary and the native baselines the tests
# compare against; clang and its runtime give libFuzzer; clang-format
# checks the layout; python3 drives a few tests; iproute2 makes the
# network namespaces and tap devices the network tests use; procps gives
# pgrep to the tests; passt is the user-mode network backend (`pith run
# --net user`, -p) and its tests. The network tests' Linux peers: curl,
# wrk, nc (netcat-openbsd), ping (iputils-ping), scapy (python3-scapy, for
# /usr/bin/python3) and dnsmasq (dnsmasq-base, a DHCP and DNS server).
PKGS="gcc make binutils libc6-dev dpkg-dev libseccomp-dev musl-tools clang clang-format
      libclang-rt-14-dev python3 file iproute2 procps passt
      curl wrk netcat-openbsd iputils-ping python3-scapy dnsmasq-base"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	exit 0
fi

echo "deps: installing:$missing"
SUDO=""
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=sudo
	else
		echo "deps: need root to install:$missing" >&2
		exit 1
	fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null
