/* args.c — argv and the environment as the program sees them: every
 * argument byte, environ in order, getenv, setenv/unsetenv/putenv. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static void show(const char *what, const char *s)
{
	printf("%s (%zu) [", what, strlen(s));
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p >= 32 && *p < 127 && *p != '\\')
			putchar(*p);
		else
			printf("\\x%02x", *p);
	printf("]\n");
}

int main(int argc, char **argv, char **envp)
{
	char name[32];
	int n = 0;

	printf("argc=%d\n", argc);
	for (int i = 0; i < argc; i++) {
		snprintf(name, sizeof(name), "argv[%d]", i);
		show(name, argv[i]);
	}
	printf("argv[argc] is %s\n", argv[argc] ? "not NULL" : "NULL");
	printf("envp == environ: %d\n", envp == environ);
	for (char **e = environ; *e; e++, n++) {
		snprintf(name, sizeof(name), "env[%d]", n);
		show(name, *e);
	}
	printf("envc=%d\n", n);
	const char *keys[] = { "HOME", "PATH", "A", "B", "EMPTY", "EQ", "MISSING", "LONG" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = getenv(keys[i]);
		if (v)
			show(keys[i], v);
		else
			printf("%s unset\n", keys[i]);
	}
	setenv("NEW", "value", 0);
	setenv("A", "replaced", 1);
	setenv("B", "kept", 0);
	unsetenv("EMPTY");
	putenv("PUT=it");
	printf("after: NEW=%s A=%s B=%s EMPTY=%s PUT=%s\n", getenv("NEW"), getenv("A"),
	       getenv("B") ? getenv("B") : "(null)", getenv("EMPTY") ? "set" : "unset",
	       getenv("PUT"));
	clearenv();
	printf("after clearenv: A=%s environ=%s\n", getenv("A") ? "set" : "unset",
	       environ && *environ ? "non-empty" : "empty");
	return argc;
}
