/*
 * part_fs.c — markers of the "fs" part: files, directories, paths.
 */
#include "part.h"

PITH_PART_NAME(fs)
#undef MARK_fs
#define MARK_fs(nr) PITH_MARK(nr)
#include "syscalls.def"
