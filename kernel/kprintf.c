/*
 * kprintf.c — kernel messages and panic.
 *
 * Messages go to the program's stderr through the console, so they keep
 * their place among the program's own output.
 */
#include "console.h"
#include "platform.h"

/* v in base, at least width characters wide: padded on the left with
 * pad (' ' or '0'), or on the right with spaces when left is set. */
static char *put_num(char *p, char *end, unsigned long long v, unsigned base, bool neg, int width,
		     char pad, bool left)
{
	char tmp[24];
	int n = 0, len;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	len = n + neg;
	if (neg && pad == '0' && p < end)
		*p++ = '-';
	for (; !left && width > len && p < end; width--)
		*p++ = pad;
	if (neg && pad != '0' && p < end)
		*p++ = '-';
	while (n && p < end)
		*p++ = tmp[--n];
	for (; left && width > len && p < end; width--)
		*p++ = ' ';
	return p;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	char *p = buf, *end = buf + (size ? size - 1 : 0);

	for (; *fmt && p < end; fmt++) {
		int lng = 0, width = 0;
		char pad = ' ';
		bool left = false;

		if (*fmt != '%') {
			*p++ = *fmt;
			continue;
		}
		fmt++;
		for (; *fmt == '0' || *fmt == '-'; fmt++)
			if (*fmt == '0')
				pad = '0';
			else
				left = true;
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		if (left)
			pad = ' ';
		while (*fmt == 'l' || *fmt == 'z') {
			lng++;
			fmt++;
		}
		switch (*fmt) {
		case 'd': {
			long long v = lng ? va_arg(ap, long long) : va_arg(ap, int);

			p = put_num(p, end, v < 0 ? -(unsigned long long)v : (unsigned long long)v,
				    10, v < 0, width, pad, left);
			break;
		}
		case 'u':
		case 'o':
		case 'x': {
			unsigned long long v =
				lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);

			p = put_num(p, end, v,
				    *fmt == 'x'	  ? 16
				    : *fmt == 'o' ? 8
						  : 10,
				    false, width, pad, left);
			break;
		}
		case 'p':
			if (p + 2 <= end) {
				*p++ = '0';
				*p++ = 'x';
			}
			p = put_num(p, end, (uintptr_t)va_arg(ap, void *), 16, false, 0, ' ',
				    false);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			int len;

			if (!s)
				s = "(null)";
			len = (int)strlen(s);
			for (; !left && width > len && p < end; width--)
				*p++ = ' ';
			while (*s && p < end)
				*p++ = *s++;
			for (; left && width > len && p < end; width--)
				*p++ = ' ';
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
