/*
 * kerrno.h — the Linux errno values the kernel returns (negated).
 */
#ifndef PITH_ERRNO_H
#define PITH_ERRNO_H

#define EPERM	     1
#define ENOENT	     2
#define ESRCH	     3
#define EINTR	     4
#define EIO	     5
#define ENXIO	     6
#define EBADF	     9
#define EAGAIN	     11
#define ENOMEM	     12
#define EACCES	     13
#define EFAULT	     14
#define EBUSY	     16
#define EEXIST	     17
#define EXDEV	     18
#define ENODEV	     19
#define ENOTDIR	     20
#define EISDIR	     21
#define EINVAL	     22
#define ENFILE	     23
#define EMFILE	     24
#define ENOTTY	     25
#define EFBIG	     27
#define ENOSPC	     28
#define ESPIPE	     29
#define EROFS	     30
#define EPIPE	     32
#define ERANGE	     34
#define ENAMETOOLONG 36
#define ENOSYS	     38
#define ENOTEMPTY    39
#define ELOOP	     40
#define ENOTSUP	     95
#define EOPNOTSUPP   95
#define ETIMEDOUT    110

/* Internal, never seen by the program (as Linux's ERESTARTSYS): a handler
 * ran during a wait and asked SA_RESTART; the call starts again from the
 * top, looking its fd up again. */
#define ERESTART_CALL 512

#endif
