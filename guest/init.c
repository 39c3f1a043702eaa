// SPDX-License-Identifier: GPL-2.0-only
/*
 * /init of the test VM: mount the pseudo file systems, run each test of
 * /plan under its own timeout with its output on the console, power off.
 *
 * Plan lines: TIMEOUT_SECONDS FLAG COMMAND [ARGS...]; FLAG is "must" or "-"
 * (read by the verdict on the host, not here). COMMAND is relative to /tests.
 * What the host parses, one line each:
 *   @@ plan N
 *   @@ begin I COMMAND [ARGS...]
 *   @@ end I exit=CODE|timeout|signal:NUM secs=S.S
 *   @@ done            (or "@@ error MESSAGE")
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_TESTS	64
#define MAX_ARGS	16

struct test {
	int timeout;
	char *argv[MAX_ARGS + 1];
	char line[512];
};

static struct test tests[MAX_TESTS];

static void power_off(void)
{
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

static void fail(const char *fmt, const char *arg)
{
	printf("@@ error ");
	printf(fmt, arg);
	printf("\n");
	power_off();
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int read_plan(const char *path)
{
	char buf[512], *p, *tok;
	int n = 0, argc;
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		fail("cannot open %s", path);
	while (fgets(buf, sizeof(buf), f)) {
		buf[strcspn(buf, "\n")] = 0;
		p = buf + strspn(buf, " \t");
		if (!*p || *p == '#')
			continue;
		if (n == MAX_TESTS)
			fail("more than 64 tests in %s", path);
		strcpy(tests[n].line, p);
		tok = strtok(tests[n].line, " \t");
		tests[n].timeout = atoi(tok);
		tok = strtok(NULL, " \t");		/* the flag */
		if (tests[n].timeout <= 0 || !tok)
			fail("malformed plan line: %s", p);
		argc = 0;
		while ((tok = strtok(NULL, " \t")) && argc < MAX_ARGS)
			tests[n].argv[argc++] = tok;
		if (!argc)
			fail("plan line without a command: %s", p);
		tests[n].argv[argc] = NULL;
		n++;
	}
	fclose(f);
	return n;
}

static void run(int i, struct test *t)
{
	double start = now();
	int status, waited = 0, j;
	pid_t pid, r;

	printf("@@ begin %d", i);
	for (j = 0; t->argv[j]; j++)
		printf(" %s", t->argv[j]);
	printf("\n");
	fflush(stdout);

	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		execv(t->argv[0], t->argv);
		printf("cannot run %s: %s\n", t->argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	/* poll, so that one timer serves every test without signal juggling */
	while ((r = waitpid(pid, &status, WNOHANG)) == 0) {
		if (now() - start > t->timeout) {
			kill(-pid, SIGKILL);
			waitpid(pid, &status, 0);
			waited = 1;
			break;
		}
		usleep(20000);
	}
	fflush(stdout);
	if (waited)
		printf("@@ end %d %s exit=timeout", i, t->argv[0]);
	else if (WIFEXITED(status))
		printf("@@ end %d %s exit=%d", i, t->argv[0], WEXITSTATUS(status));
	else
		printf("@@ end %d %s exit=signal:%d", i, t->argv[0], WTERMSIG(status));
	printf(" secs=%.1f\n", now() - start);
	fflush(stdout);
}

int main(void)
{
	int n, i;

	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (chdir("/tests"))
		fail("no /tests directory%s", "");

	n = read_plan("/plan");
	printf("@@ plan %d\n", n);
	for (i = 0; i < n; i++)
		run(i, &tests[i]);
	printf("@@ done\n");
	power_off();
	return 0;
}
