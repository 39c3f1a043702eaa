// SPDX-License-Identifier: GPL-2.0
/*
 * /init of the small Linux guest (L2) that "make demo-real"/"make check-real" run
 * under QEMU -accel kvm inside the emulated KVM host (L1). It raises a known number
 * of each trap that KVM redirects to a guest, and prints what it raised and what
 * it saw, so that the host's counters (kvm_stat, QMP query-stats, the stats fd)
 * can be compared with the truth.
 *
 * The kinds and counts come from the kernel command line, e.g.
 *   real.raise=ill:3,lmis:5,smis:7,lacc:11,sacc:13,iacc:17,slacc:4,ssacc:6,inomem:9
 *   ill     U-mode illegal instruction (.4byte 0)            -> SIGILL
 *   lmis    U-mode misaligned lr.w                            -> SIGBUS
 *   smis    U-mode misaligned amoadd.w                        -> SIGBUS
 *   lacc    U-mode load from the unbacked page                -> SIGSEGV
 *   sacc    U-mode store to the unbacked page                 -> SIGSEGV
 *   iacc    U-mode jump to the unbacked page                  -> SIGSEGV
 *   slacc   S-mode load from the unbacked page: the guest kernel reads a
 *           timespec there (clock_nanosleep), its uaccess fixup returns EFAULT
 *   ssacc   S-mode store to the unbacked page (clock_gettime writes there)
 *   inomem  U-mode jump to guest-physical page 0, which no memslot covers
 *           (KVM 7.x makes that an instruction access fault; 6.12 cannot)
 * "The unbacked page" is BAR 2 of an ivshmem-plain PCI device whose memory is a
 * memory-backend-file on the host's /dev/mem at a physical address nothing backs.
 * iacc and inomem are in no plan: see the comment before their mapping below.
 *
 * Protocol on the console: "REAL-READY", then it waits for a line from the host
 * (which reads the counters before the traps), raises, prints one
 * "REAL-RAISED kind count seen" line per kind and "REAL-DONE", and waits to be
 * shut down.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

/* The trapping instructions, 4 bytes each (no compressed encodings), so that
 * a handler can step over them by adding 4 to the pc. */
void raise_ill(void);
void raise_lr(void *p);
void raise_amo(void *p);
void raise_load(void *p);
void raise_store(void *p);
void raise_fetch(void *p);
asm(".text\n"
    ".option push\n"
    ".option norvc\n"
    ".globl raise_ill\n"
    "raise_ill:\n"
    "	.4byte 0\n"
    "	ret\n"
    ".globl raise_lr\n"
    "raise_lr:\n"
    "	lr.w t0, (a0)\n"
    "	ret\n"
    ".globl raise_amo\n"
    "raise_amo:\n"
    "	li t1, 1\n"
    "	amoadd.w t0, t1, (a0)\n"
    "	ret\n"
    ".globl raise_load\n"
    "raise_load:\n"
    "	lw t0, 0(a0)\n"
    "	ret\n"
    ".globl raise_store\n"
    "raise_store:\n"
    "	sw zero, 0(a0)\n"
    "	ret\n"
    /* a tail jump: ra still holds the caller's return address */
    ".globl raise_fetch\n"
    "raise_fetch:\n"
    "	jr a0\n"
    ".option pop\n");

static volatile int want_sig, want_code, fetch_fault;
static volatile unsigned long seen, wrong;

static void handler(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	unsigned long *pc = &uc->uc_mcontext.__gregs[REG_PC];

	if (sig == want_sig && (!want_code || si->si_code == want_code))
		seen++;
	else
		wrong++;
	if (fetch_fault)
		*pc = uc->uc_mcontext.__gregs[REG_RA];
	else
		*pc += 4;
}

static void die(const char *what)
{
	printf("REAL-ERROR %s: %s\n", what, strerror(errno));
	fflush(stdout);
	for (;;)
		pause();
}

/* A PCI device's sysfs attribute read as a hex number, or 0 */
static unsigned int pci_attr(const char *dev, const char *attr)
{
	char path[512];
	unsigned int v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", dev, attr);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%x", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

/* BAR 2 of the ivshmem-plain device (1af4:1110): its physical address. */
static unsigned long find_bar(void)
{
	DIR *d = opendir("/sys/bus/pci/devices");
	struct dirent *e;
	char path[512], buf[128];
	unsigned long start = 0;

	if (!d)
		return 0;
	while (!start && (e = readdir(d))) {
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		if (pci_attr(e->d_name, "vendor") != 0x1af4 || pci_attr(e->d_name, "device") != 0x1110)
			continue;
		/* No driver binds it: enable it, or its BAR is not decoded at all. */
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/enable", e->d_name);
		f = fopen(path, "w");
		if (!f || fputs("1", f) < 0 || fclose(f))
			die("enable the ivshmem-plain device");
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", e->d_name);
		f = fopen(path, "r");
		for (int i = 0; f && i < 3 && fgets(buf, sizeof(buf), f); i++)
			if (i == 2)
				start = strtoul(buf, NULL, 16);
		if (f)
			fclose(f);
	}
	closedir(d);
	return start;
}

static void *map_phys(unsigned long phys, int prot)
{
	int fd = open("/dev/mem", O_RDWR | O_SYNC);
	void *p;

	if (fd < 0)
		die("open /dev/mem");
	p = mmap(NULL, 4096, prot, MAP_SHARED, fd, phys);
	if (p == MAP_FAILED)
		die("mmap /dev/mem");
	close(fd);
	return p;
}

struct kind {
	const char *name;
	long count;
};

static struct kind kinds[16];
static int nkinds;

static void parse_cmdline(void)
{
	static char line[4096];
	char *p, *tok, *save;
	FILE *f = fopen("/proc/cmdline", "r");

	if (!f || !fgets(line, sizeof(line), f))
		die("read /proc/cmdline");
	fclose(f);
	p = strstr(line, "real.raise=");
	if (!p)
		return;
	p += strlen("real.raise=");
	p[strcspn(p, " \n")] = 0;
	for (tok = strtok_r(p, ",", &save); tok && nkinds < 16; tok = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(tok, ':');

		if (!colon)
			continue;
		*colon = 0;
		kinds[nkinds].name = tok;
		kinds[nkinds].count = strtol(colon + 1, NULL, 0);
		nkinds++;
	}
}

int main(void)
{
	static uint32_t words[4] __attribute__((aligned(16)));
	struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO };
	unsigned long bar = 0;
	void *unb = NULL, *unbx = NULL, *page0 = NULL;
	char go[64];

	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	parse_cmdline();

	for (int i = 0; i < nkinds; i++) {
		const char *n = kinds[i].name;

		if (!strcmp(n, "lacc") || !strcmp(n, "sacc") || !strcmp(n, "iacc") ||
		    !strcmp(n, "slacc") || !strcmp(n, "ssacc")) {
			if (!bar)
				bar = find_bar();
			if (!bar)
				die("no ivshmem-plain BAR 2 (1af4:1110) found");
		}
	}
	if (bar) {
		unb = map_phys(bar, PROT_READ | PROT_WRITE);
		printf("REAL-INFO unbacked page: guest-physical 0x%lx (ivshmem BAR 2)\n", bar);
	}
	/*
	 * An executable mapping of a page that has no struct page (the BAR, page 0)
	 * oopses riscv guest kernels up to at least 7.3: set_pte_at() calls
	 * flush_icache_pte(), which takes the folio of any exec PTE. So iacc and
	 * inomem are not in the plans; they stay here for a kernel that copes.
	 */
	for (int i = 0; i < nkinds; i++)
		if (!strcmp(kinds[i].name, "iacc") && !unbx)
			unbx = map_phys(bar, PROT_READ | PROT_EXEC);
	for (int i = 0; i < nkinds; i++)
		if (!strcmp(kinds[i].name, "inomem"))
			page0 = map_phys(0, PROT_READ | PROT_EXEC);

	printf("REAL-READY\n");
	if (!fgets(go, sizeof(go), stdin))
		die("read the go line");

	for (int i = 0; i < nkinds; i++) {
		const char *n = kinds[i].name;
		long c = kinds[i].count, r;
		unsigned long efault = 0;

		seen = wrong = 0;
		fetch_fault = 0;
		want_code = 0;
		if (!strcmp(n, "ill")) {
			want_sig = SIGILL;
			want_code = ILL_ILLOPC;
			for (long k = 0; k < c; k++)
				raise_ill();
		} else if (!strcmp(n, "lmis")) {
			want_sig = SIGBUS;
			want_code = BUS_ADRALN;
			for (long k = 0; k < c; k++)
				raise_lr((char *)words + 1);
		} else if (!strcmp(n, "smis")) {
			want_sig = SIGBUS;
			want_code = BUS_ADRALN;
			for (long k = 0; k < c; k++)
				raise_amo((char *)words + 2);
		} else if (!strcmp(n, "lacc")) {
			want_sig = SIGSEGV;
			for (long k = 0; k < c; k++)
				raise_load(unb);
		} else if (!strcmp(n, "sacc")) {
			want_sig = SIGSEGV;
			for (long k = 0; k < c; k++)
				raise_store(unb);
		} else if (!strcmp(n, "iacc")) {
			want_sig = SIGSEGV;
			fetch_fault = 1;
			for (long k = 0; k < c; k++)
				raise_fetch(unbx);
		} else if (!strcmp(n, "inomem")) {
			want_sig = SIGSEGV;
			fetch_fault = 1;
			for (long k = 0; k < c; k++)
				raise_fetch(page0);
		} else if (!strcmp(n, "slacc")) {
			/* the guest kernel copies a timespec from the unbacked page */
			for (long k = 0; k < c; k++) {
				r = syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, unb, NULL);
				if (r == -1 && errno == EFAULT)
					efault++;
			}
			seen = efault;
		} else if (!strcmp(n, "ssacc")) {
			/* ... and writes one there (no vDSO: the real system call) */
			for (long k = 0; k < c; k++) {
				r = syscall(SYS_clock_gettime, CLOCK_MONOTONIC, unb);
				if (r == -1 && errno == EFAULT)
					efault++;
			}
			seen = efault;
		} else {
			printf("REAL-ERROR unknown kind %s\n", n);
			continue;
		}
		printf("REAL-RAISED %s %ld %lu%s\n", n, c, seen,
		       wrong ? " (unexpected signals seen)" : "");
	}
	printf("REAL-DONE\n");
	for (;;)
		pause();
}
