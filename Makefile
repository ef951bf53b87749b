# pith — top-level build.
#
#   make            everything into build/: build/bin/pith, build/bin/pith-cc,
#                   the guest toolchain in build/lib/pith/
#   make test       the whole test suite (tests/run)
#   make bench      benchmarks (bench/run), figures for docs/performance.md
#   make fuzz       the ELF loader, the Pithfile parser and the network stack's
#                   input under libFuzzer, longer than the suite
#   make install PREFIX=/usr/local
#
# Host code: C11 (gnu11), -Wall -Wextra -Werror; an ASan+UBSan build of the
# same sources lands in build/asan/ for the tests. The guest kernel is
# freestanding and is linked into images by `pith cc`, part by part.

PREFIX ?= /usr/local
B := build
LIBDIR := $(B)/lib/pith
CC ?= gcc
ifeq ($(origin CC),default)
CC := gcc
endif

WARN := -Wall -Wextra -Wshadow -Werror
HOST_CFLAGS := -std=gnu11 -O2 -g $(WARN) -Iinclude -D_GNU_SOURCE \
	-fstack-protector-strong -D_FORTIFY_SOURCE=2
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

KERNEL_CFLAGS := -std=gnu11 -O2 -g $(WARN) -Iinclude -ffreestanding \
	-fno-stack-protector -fno-pie -fno-pic -fno-builtin -mno-red-zone \
	-fno-asynchronous-unwind-tables -fno-omit-frame-pointer \
	-ffunction-sections -fdata-sections

all: $(B)/bin/pith $(B)/bin/pith-cc toolchain

# ---- musl, from Debian's source package ---------------------------------

MUSL_OVERLAY := $(shell find musl/overlay -type f)
$(LIBDIR)/lib/libc.a: scripts/musl.sh $(MUSL_OVERLAY)
	@echo "  MUSL    $(LIBDIR)"
	@scripts/musl.sh musl/overlay $(B)/musl-src $(abspath $(LIBDIR))
	@touch $@

# ---- the guest kernel, one relocatable object per part ------------------

# A part is linked into an image only if the program reaches it.
PART_core := kernel/arch/x86_64/entry.S kernel/main.c kernel/note.c \
	kernel/plat_hvt.c kernel/plat_process.c kernel/tsc.c \
	kernel/console.c kernel/clock.c kernel/mem.c kernel/random.c \
	kernel/start.c kernel/string.c kernel/kprintf.c kernel/kalloc.c \
	posix/posix.c posix/syscall.c posix/fd.c posix/console_file.c posix/sys_mem.c \
	posix/sys_proc.c posix/sys_signal.c posix/sys_poll.c
PART_time := posix/part_time.c posix/sys_time.c
PART_random := posix/part_random.c posix/sys_random.c
PART_fs := posix/part_fs.c posix/sys_fs.c fs/ramfs.c fs/etc.c fs/path.c fs/bake.c fs/procfs.c \
	fs/procfs_text.c fs/hostfs.c fs/hostfs_serve.c fs/hostfs_process.c
PART_pipe := posix/part_pipe.c posix/pipe.c
PART_all := posix/part_all.c
# The TCP/IP stack (net/) and the sockets over it: only programs that
# make a socket link them.
NET_SRCS := $(filter-out net/sys_kernel.c net/sys_host.c,$(wildcard net/*.c))
PART_net := posix/part_net.c posix/netstack.c posix/socket.c posix/socket_tcp.c \
	posix/socket_udp.c posix/sockopt.c $(NET_SRCS) net/sys_kernel.c
# epoll and eventfd: any file, sockets or not.
PART_event := posix/part_event.c posix/epoll.c posix/eventfd.c
PARTS := core time random fs pipe all net event

KOBJ = $(patsubst %,$(B)/kernel/%.o,$(1))

# The network device (kernel/netdev*.c, kernel/netring.c) belongs to part
# net: an image gets the device exactly when it gets the stack, and the
# device's netdev_probe() replaces the stack's weak one inside the part.
NETDEV_SRCS := kernel/netdev.c kernel/netdev_hvt.c kernel/netdev_process.c \
	kernel/netdev_test.c kernel/netring.c kernel/netstream.c
PART_net += $(NETDEV_SRCS)

$(B)/kernel/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "  KCC     $<"
	@$(CC) $(KERNEL_CFLAGS) -MMD -c -o $@ $<
$(B)/kernel/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  KAS     $<"
	@$(CC) $(KERNEL_CFLAGS) -MMD -c -o $@ $<

$(B)/kernel/part_core.r.o: $(call KOBJ,$(PART_core))
$(B)/kernel/part_time.r.o: $(call KOBJ,$(PART_time))
$(B)/kernel/part_random.r.o: $(call KOBJ,$(PART_random))
$(B)/kernel/part_fs.r.o: $(call KOBJ,$(PART_fs))
$(B)/kernel/part_pipe.r.o: $(call KOBJ,$(PART_pipe))
$(B)/kernel/part_all.r.o: $(call KOBJ,$(PART_all))
$(B)/kernel/part_net.r.o: $(call KOBJ,$(PART_net))
$(B)/kernel/part_event.r.o: $(call KOBJ,$(PART_event))
$(B)/kernel/part_%.r.o:
	@echo "  LD -r   $@"
	@ld -r -o $@ $^

# Keep the kernel out of the program's namespace: every global it defines,
# but for its entry points, gets a __pith_k_ prefix in every part.
KERNEL_EXPORTS := ^(_pith_start|__pith_syscall|__pith_need_[0-9]+|__pith_all_parts)$$
$(B)/kernel/rename.map: $(foreach p,$(PARTS),$(B)/kernel/part_$(p).r.o)
	@nm -g --defined-only $^ | awk 'NF == 3 { print $$3 }' | sort -u | \
		grep -Ev '$(KERNEL_EXPORTS)' | awk '{ print $$1, "__pith_k_" $$1 }' >$@

$(LIBDIR)/lib/libpithkernel.a: $(foreach p,$(PARTS),$(B)/kernel/part_$(p).r.o) \
		$(B)/kernel/rename.map $(LIBDIR)/lib/libc.a
	@echo "  AR      $@"
	@rm -f $@
	@for p in $(PARTS); do \
		objcopy --redefine-syms=$(B)/kernel/rename.map \
			$(B)/kernel/part_$$p.r.o $(B)/kernel/$$p.o || exit 1; \
	done
	@ar rcD $@ $(foreach p,$(PARTS),$(B)/kernel/$(p).o)

$(LIBDIR)/lib/pith.ld: toolchain/pith.ld $(LIBDIR)/lib/libc.a
	@cp $< $@
$(LIBDIR)/lib/pith.specs: toolchain/pith.specs $(LIBDIR)/lib/libc.a
	@cp $< $@

toolchain: $(LIBDIR)/lib/libc.a $(LIBDIR)/lib/libpithkernel.a \
	$(LIBDIR)/lib/pith.ld $(LIBDIR)/lib/pith.specs

# ---- the host program: CLI, monitor, process target ---------------------

# fs/hostfs_serve.c, the volume server, is also linked into the guest's
# "fs" part (the process target serves volumes itself).
# kernel/netring.c, the network rings' protocol, and kernel/netstream.c,
# the framing on passt's socket, are shared the same way.
HOST_SRCS := $(wildcard cli/*.c monitor/*.c) fs/hostfs_serve.c kernel/netring.c \
	kernel/netstream.c
# Code that runs after the guest owns %fs, in the sandboxed child: no
# sanitizer, no stack protector, no libc.
RAW_SRCS := monitor/process_trap.c
RAW_FLAGS := -fno-stack-protector -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=0 -fno-builtin

# The seccomp allow-lists are compiled to BPF at build time, with Debian's
# libseccomp (tools/seccomp-gen.c): pith itself does not link libseccomp.
$(B)/gen/seccomp_filters.h: tools/seccomp-gen.c
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	@$(CC) -std=gnu11 -O2 $(WARN) -o $(B)/gen/seccomp-gen $< -lseccomp
	@$(B)/gen/seccomp-gen >$@.tmp && mv $@.tmp $@
GEN_HEADERS := $(B)/gen/seccomp_filters.h

# Two builds of the same sources. The release build (build/bin/pith) is
# compiled with musl-gcc and linked as a static PIE: it starts in a tenth
# of the time a glibc program takes on nested KVM, where glibc's start-up
# (CPUID probes, each an exit there) would cost as much as a whole
# hello-world boot. musl lacks the kernel's UAPI headers (linux/kvm.h...):
# scripts/hostlibs.sh points at Debian's. The test build
# (build/asan/bin/pith) uses gcc, glibc, AddressSanitizer and UBSan.
HOSTSYS := $(B)/hostsys
$(HOSTSYS)/include/linux: scripts/hostlibs.sh
	@scripts/hostlibs.sh $(HOSTSYS)

$(B)/host/%.o: %.c $(GEN_HEADERS) | $(HOSTSYS)/include/linux
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@musl-gcc $(HOST_CFLAGS) -I$(B)/gen -isystem $(HOSTSYS)/include \
		$(if $(filter $<,$(RAW_SRCS)),$(RAW_FLAGS)) -MMD -c -o $@ $<
# Debian's musl-gcc wrapper cannot link a static PIE; spell it out.
MUSL_LIB := /usr/lib/$(shell gcc -print-multiarch 2>/dev/null | sed 's/gnu$$/musl/')
$(B)/bin/pith: $(patsubst %.c,$(B)/host/%.o,$(HOST_SRCS))
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	@gcc -static-pie -nostdlib -nostartfiles -o $@ $(MUSL_LIB)/rcrt1.o $(MUSL_LIB)/crti.o \
		$$(gcc -print-file-name=crtbeginS.o) $^ -L$(MUSL_LIB) -lc \
		$$(gcc -print-libgcc-file-name) $$(gcc -print-file-name=crtendS.o) $(MUSL_LIB)/crtn.o

$(B)/asan/host/%.o: %.c $(GEN_HEADERS)
	@mkdir -p $(dir $@)
	@echo "  CC      $< [asan]"
	@$(CC) $(HOST_CFLAGS) $(SAN_FLAGS) -I$(B)/gen \
		$(if $(filter $<,$(RAW_SRCS)),-fno-sanitize=all $(RAW_FLAGS)) -MMD -c -o $@ $<
$(B)/asan/bin/pith: $(patsubst %.c,$(B)/asan/host/%.o,$(HOST_SRCS))
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	@$(CC) $(SAN_FLAGS) -o $@ $^

$(B)/bin/pith-cc: $(B)/bin/pith
	@ln -sf pith $@

# The ASan build finds the same toolchain.
$(B)/asan/lib: | $(B)/bin/pith
	@mkdir -p $(B)/asan
	@ln -sfn ../lib $@
$(B)/asan/bin/pith-cc: $(B)/asan/bin/pith
	@ln -sf pith $@
asan: $(B)/asan/bin/pith $(B)/asan/bin/pith-cc $(B)/asan/lib

# ---- tests, benchmarks, fuzzing ------------------------------------------

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
# Unit tests link the host program's code and the network stack (with
# its host allocator, net/sys_host.c).
NET_HOST_SRCS := $(NET_SRCS) net/sys_host.c
UNIT_LIB_SRCS := $(filter-out cli/main.c,$(HOST_SRCS)) $(NET_HOST_SRCS)
# Only unit tests use the stack's objects: keep make from deleting them.
.SECONDARY: $(patsubst %.c,$(B)/asan/host/%.o,$(NET_HOST_SRCS))
$(B)/unit/%: tests/unit/%.c $(patsubst %.c,$(B)/asan/host/%.o,$(UNIT_LIB_SRCS))
	@mkdir -p $(dir $@)
	@echo "  UNIT    $@"
	@$(CC) $(HOST_CFLAGS) $(SAN_FLAGS) -I$(B)/gen -Itests/unit -o $@ $^ -lpthread
units: $(patsubst tests/unit/%.c,$(B)/unit/%,$(UNIT_SRCS))

test: all asan units
	@tests/run

bench: all
	@bench/run

# make fuzz: new inputs go to build/fuzz/corpus, crashes to build/fuzz/.
# The suite tests/fuzz/run.sh (make fuzz-smoke) runs a short fixed pass.
FUZZ_SECONDS ?= 300
FUZZ_CFLAGS := -std=gnu11 -O1 -g $(WARN) -Iinclude -D_GNU_SOURCE \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
$(B)/fuzz/fuzz_elf: tests/fuzz/fuzz_elf.c monitor/elf.c monitor/elf.h \
		tests/unit/elfcheck.h include/pith/abi.h
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	@clang $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_elf.c monitor/elf.c
$(B)/fuzz/fuzz_pithfile: tests/fuzz/fuzz_pithfile.c cli/pithfile.c cli/pithfile.h \
		cli/common.c cli/cli.h include/pith/abi.h
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	@clang $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_pithfile.c cli/pithfile.c cli/common.c
$(B)/fuzz/fuzz_net: tests/fuzz/fuzz_net.c $(NET_HOST_SRCS) \
		$(wildcard net/*.h)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	@clang $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_net.c $(NET_HOST_SRCS)
fuzz: $(B)/fuzz/fuzz_elf $(B)/fuzz/fuzz_pithfile $(B)/fuzz/fuzz_net
	@mkdir -p $(B)/fuzz/corpus $(B)/fuzz/corpus-pithfile $(B)/fuzz/corpus-net
	$(B)/fuzz/fuzz_elf -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=$(B)/fuzz/ \
		$(B)/fuzz/corpus tests/fuzz/corpus
	$(B)/fuzz/fuzz_pithfile -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=$(B)/fuzz/ \
		$(B)/fuzz/corpus-pithfile tests/fuzz/corpus-pithfile
	$(B)/fuzz/fuzz_net -max_total_time=$(FUZZ_SECONDS) -max_len=16384 \
		-artifact_prefix=$(B)/fuzz/ $(B)/fuzz/corpus-net tests/fuzz/corpus-net
fuzz-smoke:
	@tests/run fuzz
.PHONY: fuzz-smoke

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pith
	install -m 755 $(B)/bin/pith $(DESTDIR)$(PREFIX)/bin/pith
	ln -sf pith $(DESTDIR)$(PREFIX)/bin/pith-cc
	cp -R $(LIBDIR)/include $(LIBDIR)/lib $(DESTDIR)$(PREFIX)/lib/pith/

clean:
	rm -rf $(B)/bin $(B)/asan $(B)/host $(B)/kernel $(B)/unit $(B)/fuzz \
		$(LIBDIR)/lib/libpithkernel.a

distclean:
	rm -rf $(B)

.PHONY: all toolchain asan units test bench fuzz install clean distclean
-include $(shell find $(B)/kernel $(B)/host $(B)/asan/host -name '*.d' -type f 2>/dev/null)
