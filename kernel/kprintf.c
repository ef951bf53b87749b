/*
 * kprintf.c — kernel messages and panic.
 *
 * Messages go to the program's stderr through the console, so they keep
 * their place among the program's own output.
 */
#include "console.h"
#include "platform.h"

static char *put_num(char *p, char *end, unsigned long long v, unsigned base, bool neg)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg && p < end)
		*p++ = '-';
	while (n && p < end)
		*p++ = tmp[--n];
	return p;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	char *p = buf, *end = buf + (size ? size - 1 : 0);

	for (; *fmt && p < end; fmt++) {
		int lng = 0;

		if (*fmt != '%') {
			*p++ = *fmt;
			continue;
		}
		fmt++;
		while (*fmt == 'l' || *fmt == 'z') {
			lng++;
			fmt++;
		}
		switch (*fmt) {
		case 'd': {
			long long v = lng ? va_arg(ap, long long) : va_arg(ap, int);

			p = put_num(p, end, v < 0 ? -(unsigned long long)v : (unsigned long long)v,
				    10, v < 0);
			break;
		}
		case 'u':
		case 'x': {
			unsigned long long v =
				lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);

			p = put_num(p, end, v, *fmt == 'x' ? 16 : 10, false);
			break;
		}
		case 'p':
			if (p + 2 <= end) {
				*p++ = '0';
				*p++ = 'x';
			}
			p = put_num(p, end, (uintptr_t)va_arg(ap, void *), 16, false);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);

			if (!s)
				s = "(null)";
			while (*s && p < end)
				*p++ = *s++;
			break;
		}
		case 'c':
			*p++ = (char)va_arg(ap, int);
			break;
		case '%':
			*p++ = '%';
			break;
		default:
			*p++ = '?';
			break;
		}
		if (!*fmt)
			break;
	}
	if (size)
		*p = '\0';
	return (int)(p - buf);
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void vmessage(const char *prefix, const char *fmt, va_list ap)
{
	char line[KPRINTF_MAX];
	size_t n = strlen(prefix);

	memcpy(line, prefix, n);
	n += (size_t)kvsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	line[n++] = '\n';
	console_write(2, line, n);
	console_sync(2);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("pith: ", fmt, ap);
	va_end(ap);
}

_Noreturn void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("pith: guest kernel panic: ", fmt, ap);
	va_end(ap);
	console_flush();
	plat->exit(PITH_EXIT_PANIC, 0);
}
