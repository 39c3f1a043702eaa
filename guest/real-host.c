// SPDX-License-Identifier: GPL-2.0
/*
 * /init of the emulated KVM host (L1) for "make demo-real"/"make check-real".
 * The root file system is Debian (riscv64, sid) with python3 and QEMU; this
 * program, static, is laid over it. It
 *   - runs QEMU -accel kvm -cpu host with a small Linux guest (L2, /real/Image and
 *     /real/l2.cpio, whose /init is guest/real-raise.c), the guest's console on a
 *     pipe, QMP on a UNIX socket, and an ivshmem-plain device whose memory is
 *     /dev/mem at a host physical address nothing backs (real.unbacked=);
 *   - when the guest says REAL-READY, reads the counters ("before"), starts
 *     kvm_stat -t in logging mode, and lets the guest raise its traps;
 *   - when the guest says REAL-DONE, reads the counters again ("after"), stops
 *     kvm_stat -t, quits QEMU through QMP and powers off.
 * Counters are read three ways: the patched kvm_stat (/real/kvm_stat -1 from
 * debugfs), QMP query-stats, and the vCPU's binary stats fd (KVM_GET_STATS_FD on
 * QEMU's vCPU fd, taken with pidfd_getfd()). Every value is printed as
 *   REAL-STAT <source> <before|after|total> <name> <value>
 * for the host side (scripts/real.sh) to tabulate and check.
 * Kernel command line: real.raise=<list for the guest> real.unbacked=<phys>
 * real.timeout=<seconds for the guest part>.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *const counters[] = {
	"instr_illegal_exits", "load_misaligned_exits", "store_misaligned_exits",
	"load_access_exits", "store_access_exits", "instr_access_exits",
};
#define NCOUNTERS (sizeof(counters) / sizeof(counters[0]))
#define COUNTER_RE "^(instr_illegal|load_misaligned|store_misaligned|load_access|store_access|instr_access)_exits$"
#define EXIT_RE "kvm_exit\\((INST_ILLEGAL|LOAD_MISALIGNED|STORE_MISALIGNED|LOAD_ACCESS|STORE_ACCESS|INST_ACCESS|INST_GUEST_PAGE_FAULT)\\)"

static char raise_spec[1024] = "ill:3";
static char unbacked[64];
static int guest_timeout = 600;
static pid_t qemu_pid;
static int qmp_fd = -1;
static int failed;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("REAL-FAIL ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	failed = 1;
}

static void show_file(const char *path, const char *prefix)
{
	char line[1024];
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		printf("%s%s", prefix, line);
	fclose(f);
}

static int counter_wanted(const char *name)
{
	for (size_t i = 0; i < NCOUNTERS; i++)
		if (!strcmp(name, counters[i]))
			return 1;
	return 0;
}

/*
 * ---- the binary stats fd of QEMU's vCPUs, through pidfd_getfd() ----
 * KVM refuses vCPU ioctls from another process (-EIO: not the VM's mm), so
 * KVM_GET_STATS_FD cannot be issued on a borrowed vCPU fd. QEMU opens each
 * vCPU's stats fd itself (for query-stats): borrow that one and read it here.
 */

static void stats_from_fd(const char *tag)
{
	char path[64], link[128];
	unsigned long long sum[NCOUNTERS] = { 0 };
	int found[NCOUNTERS] = { 0 };
	int pidfd, nvcpu = 0;
	struct dirent *e;
	DIR *d;

	pidfd = syscall(SYS_pidfd_open, qemu_pid, 0);
	snprintf(path, sizeof(path), "/proc/%d/fd", qemu_pid);
	d = opendir(path);
	if (pidfd < 0 || !d) {
		fail("stats fd: cannot open QEMU's pidfd or fd list: %s", strerror(errno));
		return;
	}
	while ((e = readdir(d))) {
		struct kvm_stats_header hdr;
		char fdpath[400];
		ssize_t n;
		int sfd;
		size_t dsz;
		char *descs;

		if (e->d_name[0] == '.')
			continue;
		snprintf(fdpath, sizeof(fdpath), "%s/%s", path, e->d_name);
		n = readlink(fdpath, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = 0;
		if (strncmp(link, "anon_inode:kvm-vcpu-stats:", 26))
			continue;
		sfd = syscall(SYS_pidfd_getfd, pidfd, atoi(e->d_name), 0);
		if (sfd < 0 || pread(sfd, &hdr, sizeof(hdr), 0) != sizeof(hdr)) {
			fail("pidfd_getfd/read of %s: %s", link, strerror(errno));
			if (sfd >= 0)
				close(sfd);
			continue;
		}
		nvcpu++;
		dsz = sizeof(struct kvm_stats_desc) + hdr.name_size;
		descs = calloc(hdr.num_desc, dsz);
		if (pread(sfd, descs, hdr.num_desc * dsz, hdr.desc_offset) != (ssize_t)(hdr.num_desc * dsz)) {
			fail("stats fd descriptors: %s", strerror(errno));
			hdr.num_desc = 0;
		}
		for (unsigned int i = 0; i < hdr.num_desc; i++) {
			struct kvm_stats_desc *desc = (void *)(descs + i * dsz);
			uint64_t v;

			for (size_t c = 0; c < NCOUNTERS; c++) {
				if (strcmp(desc->name, counters[c]))
					continue;
				if (pread(sfd, &v, sizeof(v), hdr.data_offset + desc->offset) != sizeof(v)) {
					fail("stats fd read of %s: %s", desc->name, strerror(errno));
					continue;
				}
				sum[c] += v;
				found[c] = 1;
			}
		}
		free(descs);
		close(sfd);
	}
	closedir(d);
	close(pidfd);
	if (!nvcpu)
		fail("stats fd: QEMU (pid %d) holds no kvm-vcpu-stats fd", qemu_pid);
	for (size_t c = 0; c < NCOUNTERS; c++)
		if (found[c])
			printf("REAL-STAT statsfd %s %s %llu\n", tag, counters[c], sum[c]);
}

/* ---- QMP ---- */

static char qbuf[1 << 17];
static size_t qlen;

/* The next line from QMP (without CRLF), or NULL at the deadline. */
static char *qmp_line(double deadline)
{
	static char line[sizeof(qbuf)];

	for (;;) {
		char *nl = memchr(qbuf, '\n', qlen);

		if (nl) {
			size_t n = nl - qbuf;

			memcpy(line, qbuf, n);
			line[n] = 0;
			if (n && line[n - 1] == '\r')
				line[n - 1] = 0;
			memmove(qbuf, nl + 1, qlen - n - 1);
			qlen -= n + 1;
			return line;
		}
		struct pollfd p = { .fd = qmp_fd, .events = POLLIN };
		int left = (deadline - now()) * 1000;

		if (left <= 0 || poll(&p, 1, left) <= 0)
			return NULL;
		ssize_t r = read(qmp_fd, qbuf + qlen, sizeof(qbuf) - 1 - qlen);

		if (r <= 0)
			return NULL;
		qlen += r;
	}
}

/* Send a command, return its "return"/"error" line (events are skipped). */
static char *qmp(const char *cmd)
{
	double deadline = now() + 60;
	char *l;

	if (write(qmp_fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd))
		return NULL;
	while ((l = qmp_line(deadline)))
		if (strstr(l, "\"return\"") || strstr(l, "\"error\""))
			return l;
	return NULL;
}

static int qmp_connect(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = "/tmp/qmp.sock" };
	double deadline = now() + 120;
	char *l;

	while (now() < deadline) {
		qmp_fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (connect(qmp_fd, (void *)&sa, sizeof(sa)) == 0)
			break;
		close(qmp_fd);
		qmp_fd = -1;
		usleep(200000);
	}
	if (qmp_fd < 0)
		return -1;
	l = qmp_line(now() + 60);	/* the greeting */
	if (!l || !strstr(l, "QMP"))
		return -1;
	l = qmp("{\"execute\": \"qmp_capabilities\"}\n");
	return l && strstr(l, "\"return\"") ? 0 : -1;
}

/* Parse "name": "X" ... "value": N pairs out of a query-stats answer. */
static void stats_from_qmp(const char *tag)
{
	unsigned long long sum[NCOUNTERS] = { 0 };
	int found[NCOUNTERS] = { 0 };
	char *l = qmp("{\"execute\": \"query-stats\", \"arguments\": {\"target\": \"vcpu\"}}\n");
	char *p;

	if (!l || !strstr(l, "\"return\"")) {
		fail("QMP query-stats: %s", l ? l : "no answer");
		return;
	}
	for (p = l; (p = strstr(p, "\"name\"")); ) {
		char name[128];
		char *q, *v;
		size_t n;

		p += 6;
		q = strchr(p, '"');
		if (!q)
			break;
		n = strcspn(q + 1, "\"");
		if (n >= sizeof(name))
			continue;
		memcpy(name, q + 1, n);
		name[n] = 0;
		p = q + 1 + n;
		v = strstr(p, "\"value\"");
		if (!v)
			break;
		v += 7;
		while (*v == ' ' || *v == ':')
			v++;
		if (!isdigit((unsigned char)*v))
			continue;
		for (size_t c = 0; c < NCOUNTERS; c++)
			if (!strcmp(name, counters[c])) {
				sum[c] += strtoull(v, NULL, 10);
				found[c] = 1;
			}
	}
	for (size_t c = 0; c < NCOUNTERS; c++)
		if (found[c])
			printf("REAL-STAT qmp %s %s %llu\n", tag, counters[c], sum[c]);
}

/* ---- kvm_stat ---- */

static char *const *kvm_stat_env(void)
{
	static char *env[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "TERM=linux",
			       "LANG=C.UTF-8", "PYTHONUNBUFFERED=1", NULL };
	return env;
}

/* Run kvm_stat -1 on debugfs for QEMU's pid; print the values of our counters. */
static void stats_from_kvm_stat(const char *tag)
{
	char pid[16], out[8192], line[512];
	int pipefd[2];
	size_t len = 0;
	double deadline = now() + 300;
	int status;
	pid_t child;
	FILE *f;

	snprintf(pid, sizeof(pid), "%d", qemu_pid);
	if (pipe(pipefd))
		return;
	child = fork();
	if (!child) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		execle("/usr/bin/python3", "python3", "/real/kvm_stat", "-1", "-d", "-i", "-p", pid,
		       "-f", COUNTER_RE, (char *)NULL, kvm_stat_env());
		_exit(127);
	}
	close(pipefd[1]);
	for (;;) {
		struct pollfd p = { .fd = pipefd[0], .events = POLLIN };
		int left = (deadline - now()) * 1000;
		ssize_t r;

		if (left <= 0 || poll(&p, 1, left) <= 0) {
			kill(child, SIGKILL);
			fail("kvm_stat -1 did not finish in time");
			break;
		}
		r = read(pipefd[0], out + len, sizeof(out) - 1 - len);
		if (r <= 0)
			break;
		len += r;
	}
	out[len] = 0;
	close(pipefd[0]);
	waitpid(child, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fail("kvm_stat -1 -d -i -p %s failed (status %d); its output:", pid, status);
		printf("%s", out);
		return;
	}
	if (!strcmp(tag, "after")) {
		printf("REAL-KVMSTAT $ kvm_stat -1 -d -i -p %s -f '%s'\n", pid, COUNTER_RE);
		f = fmemopen(out, len, "r");
		while (f && fgets(line, sizeof(line), f))
			printf("REAL-KVMSTAT %s", line);
		if (f)
			fclose(f);
	}
	f = fmemopen(out, len, "r");
	while (f && fgets(line, sizeof(line), f)) {
		char name[128];
		unsigned long long v;

		if (sscanf(line, "%127s %llu", name, &v) == 2 && counter_wanted(name))
			printf("REAL-STAT kvm_stat %s %s %llu\n", tag, name, v);
	}
	if (f)
		fclose(f);
}

/* If /real/kvm_stat.orig exists (real.sh: KVM_STAT_ORIG=), show what an unpatched
 * kvm_stat does on this host. */
static void run_orig_kvm_stat(void)
{
	char pid[16], cmd[128], line[512];
	FILE *p;

	if (access("/real/kvm_stat.orig", R_OK))
		return;
	snprintf(pid, sizeof(pid), "%d", qemu_pid);
	snprintf(cmd, sizeof(cmd), "python3 /real/kvm_stat.orig -1 -p %s 2>&1; echo \"exit status $?\"", pid);
	printf("REAL-ORIG $ kvm_stat -1 -p %s   (kvm_stat without the RISC-V patch)\n", pid);
	setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 1);
	p = popen(cmd, "r");
	while (p && fgets(line, sizeof(line), p))
		printf("REAL-ORIG %s", line);
	if (p)
		pclose(p);
}

static pid_t logger;

/* kvm_stat -t in logging mode (CSV, one line of deltas every 0.5 s) */
static int start_tracepoint_logger(void)
{
	char pid[16];
	double deadline = now() + 300;
	struct stat st;

	snprintf(pid, sizeof(pid), "%d", qemu_pid);
	logger = fork();
	if (!logger) {
		int fd = open("/tmp/kvm_stat-t.csv", O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(fd, 1);
		dup2(fd, 2);
		execle("/usr/bin/python3", "python3", "/real/kvm_stat", "-t", "-p", pid, "-c", "-l",
		       "-s", "0.5", "-f", EXIT_RE, (char *)NULL, kvm_stat_env());
		_exit(127);
	}
	/* Its banner is printed after every perf event is open. */
	while (now() < deadline) {
		int status;

		if (!stat("/tmp/kvm_stat-t.csv", &st) && st.st_size > 0)
			return 0;
		if (waitpid(logger, &status, WNOHANG) == logger) {
			fail("kvm_stat -t exited early (status %d):", status);
			show_file("/tmp/kvm_stat-t.csv", "  ");
			logger = 0;
			return -1;
		}
		usleep(100000);
	}
	fail("kvm_stat -t did not start in time");
	return -1;
}

static void stop_tracepoint_logger(void)
{
	char line[4096], *names[64], *tok, *save;
	unsigned long long sum[64] = { 0 };
	int ncol = 0, status;
	FILE *f;

	if (!logger)
		return;
	kill(logger, SIGINT);
	waitpid(logger, &status, 0);
	f = fopen("/tmp/kvm_stat-t.csv", "r");
	if (!f || !fgets(line, sizeof(line), f)) {
		fail("kvm_stat -t: no output");
		return;
	}
	line[strcspn(line, "\n")] = 0;
	for (tok = strtok_r(line, ",", &save); tok && ncol < 64; tok = strtok_r(NULL, ",", &save))
		names[ncol++] = strdup(tok);
	if (ncol < 2 || strcmp(names[0], "timestamp")) {
		fail("kvm_stat -t: unexpected output:");
		printf("%s\n", line);
		show_file("/tmp/kvm_stat-t.csv", "  ");
		fclose(f);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		int col = 0;

		if (!isdigit((unsigned char)line[0]))
			continue;
		for (tok = strtok_r(line, ",", &save); tok && col < ncol; tok = strtok_r(NULL, ",", &save), col++)
			if (col)
				sum[col] += strtoull(tok, NULL, 10);
	}
	fclose(f);
	for (int c = 1; c < ncol; c++)
		printf("REAL-STAT kvm_stat_t total %s %llu\n", names[c], sum[c]);
}

static void snapshot(const char *tag)
{
	stats_from_kvm_stat(tag);
	stats_from_qmp(tag);
	stats_from_fd(tag);
}

/* ---- the guest ---- */

static void parse_cmdline(void)
{
	char line[4096], *p;
	FILE *f = fopen("/proc/cmdline", "r");

	if (!f || !fgets(line, sizeof(line), f))
		return;
	fclose(f);
	if ((p = strstr(line, "real.raise=")))
		sscanf(p + 11, "%1023s", raise_spec);
	if ((p = strstr(line, "real.unbacked=")))
		sscanf(p + 14, "%63s", unbacked);
	if ((p = strstr(line, "real.timeout=")))
		guest_timeout = atoi(p + 13);
}

static pid_t start_qemu(void)
{
	char append[1200], backend[256];
	char *argv[64];
	int n = 0;
	pid_t pid;

	/*
	 * Quiet: every byte on the guest's UART is an MMIO exit to QEMU, which is
	 * slow in the emulated host; a chatty boot (or RCU stall reports, which
	 * the slowness itself causes) can take many minutes.
	 */
	snprintf(append, sizeof(append),
		 "console=ttyS0 panic=-1 quiet loglevel=1 rcupdate.rcu_cpu_stall_suppress=1 real.raise=%s",
		 raise_spec);
	argv[n++] = "qemu-system-riscv64";
	argv[n++] = "-M";
	argv[n++] = "virt";
	argv[n++] = "-accel";
	argv[n++] = "kvm";
	argv[n++] = "-cpu";
	argv[n++] = "host";
	argv[n++] = "-smp";
	argv[n++] = "1";
	argv[n++] = "-m";
	argv[n++] = "256M";
	argv[n++] = "-nodefaults";
	argv[n++] = "-display";
	argv[n++] = "none";
	argv[n++] = "-serial";
	argv[n++] = "pipe:/tmp/l2con";
	argv[n++] = "-qmp";
	argv[n++] = "unix:/tmp/qmp.sock,server=on,wait=off";
	argv[n++] = "-kernel";
	argv[n++] = "/real/Image";
	argv[n++] = "-initrd";
	argv[n++] = "/real/l2.cpio";
	argv[n++] = "-append";
	argv[n++] = append;
	argv[n++] = "-no-reboot";
	if (unbacked[0]) {
		/* 64 KiB of host physical address space that nothing backs, as a
		 * memslot of the guest (a PCI BAR): touching it raises access faults */
		snprintf(backend, sizeof(backend),
			 "memory-backend-file,id=unbacked,mem-path=/dev/mem,size=64K,offset=%s,share=on",
			 unbacked);
		argv[n++] = "-object";
		argv[n++] = backend;
		argv[n++] = "-device";
		argv[n++] = "ivshmem-plain,memdev=unbacked";
	}
	argv[n] = NULL;
	printf("REAL-INFO $");
	for (int i = 0; i < n; i++)
		printf(" %s", argv[i]);
	printf("\n");
	pid = fork();
	if (!pid) {
		int fd = open("/tmp/qemu.log", O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(fd, 1);
		dup2(fd, 2);
		execve("/usr/bin/qemu-system-riscv64", argv, (char *const *)kvm_stat_env());
		_exit(127);
	}
	return pid;
}

static void run_guest(void)
{
	char buf[4096], line[4096];
	size_t len = 0;
	double deadline;
	int in, out, ready = 0, done = 0, status;

	mkfifo("/tmp/l2con.in", 0600);
	mkfifo("/tmp/l2con.out", 0600);
	qemu_pid = start_qemu();
	/* O_RDWR: never blocks on a FIFO */
	out = open("/tmp/l2con.out", O_RDWR);
	in = open("/tmp/l2con.in", O_RDWR);
	if (qmp_connect()) {
		fail("no QMP connection; QEMU's output:");
		show_file("/tmp/qemu.log", "  qemu| ");
		return;
	}
	printf("REAL-INFO QEMU pid %d is up, QMP connected\n", qemu_pid);
	deadline = now() + guest_timeout;
	while (!done) {
		struct pollfd p = { .fd = out, .events = POLLIN };
		int left = (deadline - now()) * 1000;
		ssize_t r;
		char *nl;

		if (waitpid(qemu_pid, &status, WNOHANG) == qemu_pid) {
			fail("QEMU exited (status 0x%x) before the guest was done; its output:", status);
			show_file("/tmp/qemu.log", "  qemu| ");
			qemu_pid = 0;
			return;
		}
		if (left <= 0) {
			fail("the guest did not finish within %d s (its console is above, L2| lines)",
			     guest_timeout);
			break;
		}
		if (poll(&p, 1, left < 1000 ? left : 1000) <= 0)
			continue;
		r = read(out, buf, sizeof(buf));
		if (r <= 0)
			continue;
		for (ssize_t i = 0; i < r; i++) {
			if (buf[i] == '\r')
				continue;
			if (buf[i] != '\n' && len < sizeof(line) - 1) {
				line[len++] = buf[i];
				continue;
			}
			line[len] = 0;
			len = 0;
			printf("L2| %s\n", line);
			if ((nl = strstr(line, "REAL-RAISED")))
				printf("%s\n", nl);
			if (strstr(line, "REAL-ERROR"))
				fail("the guest reported an error");
			if (!ready && strstr(line, "REAL-READY")) {
				ready = 1;
				run_orig_kvm_stat();
				snapshot("before");
				start_tracepoint_logger();
				if (write(in, "go\n", 3) != 3)
					fail("cannot write to the guest's console");
			}
			if (strstr(line, "REAL-DONE"))
				done = 1;
		}
	}
	if (done) {
		sleep(2);	/* one more kvm_stat -t interval after the last trap */
		stop_tracepoint_logger();
		snapshot("after");
	} else if (logger) {
		kill(logger, SIGKILL);
	}
}

static void stop_qemu(void)
{
	double deadline = now() + 30;
	int status;

	if (!qemu_pid)
		return;
	if (qmp_fd >= 0)
		qmp("{\"execute\": \"quit\"}\n");
	while (now() < deadline) {
		if (waitpid(qemu_pid, &status, WNOHANG) == qemu_pid)
			return;
		usleep(100000);
	}
	kill(qemu_pid, SIGKILL);
	waitpid(qemu_pid, &status, 0);
	fail("QEMU did not quit through QMP; killed");
}

int main(void)
{
	struct utsname u;

	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	mount("tmpfs", "/tmp", "tmpfs", 0, NULL);
	mount("tmpfs", "/run", "tmpfs", 0, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	uname(&u);
	parse_cmdline();
	printf("REAL-HOST %s %s, raise %s, unbacked %s\n", u.release, u.machine, raise_spec,
	       unbacked[0] ? unbacked : "none");
	if (access("/dev/kvm", R_OK | W_OK))
		fail("no /dev/kvm: %s", strerror(errno));
	else
		run_guest();
	stop_qemu();
	printf("REAL-END %s\n", failed ? "failed" : "ok");
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
