/*
 * part_all.c — every optional part at once, for syscall(2).
 *
 * musl's syscall() (musl/overlay/src/misc/x86_64/syscall.c) refers to
 * __pith_all_parts, defined here; this object refers to one marker of
 * each optional part, so the link pulls them all in. A new optional part
 * adds its line here.
 */
__asm__(".globl __pith_all_parts\n.set __pith_all_parts, 0\n"
	".pushsection .pith_need,\"\",@progbits\n"
	".quad __pith_need_228\n" /* time: clock_gettime */
	".quad __pith_need_318\n" /* random: getrandom */
	".quad __pith_need_257\n" /* fs: openat */
	".quad __pith_need_293\n" /* pipe: pipe2 */
	".quad __pith_need_41\n"  /* net: socket */
	".quad __pith_need_291\n" /* event: epoll_create1 */
	".popsection");
