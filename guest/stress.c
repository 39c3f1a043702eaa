// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reliability checks of the redirected-trap counters, inside the test VM.
 *
 * usage: wb-stress [-d CAUSE,...] storm T | broken | teardown
 * (-d: the causes this tree delegates to the guest; they never exit)
 *
 *   wb-stress storm T     4 vCPUs each raise T traps over the six causes
 *                         while host threads read every vCPU's stats fd and
 *                         the per-VM debugfs files: final counts exact, no
 *                         value ever goes backwards, readers race the guests
 *   wb-stress broken      a guest whose trap vector itself faults: KVM
 *                         redirects forever; a signal still gets the vCPU
 *                         out of KVM_RUN, the counter kept rising, teardown
 *   wb-stress teardown    readers keep reading stats fds and debugfs files
 *                         while the VM is destroyed: final values or ENOENT
 *
 * Exit status as kselftest: 0 pass, anything else fail.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kvm_util.h"
#include "processor.h"
#include "ucall_common.h"
#include "wb_guest.h"

#define MAX_VCPUS	4
#define MIN_SAMPLES	10000

static uint64_t traps_per_vcpu;
static uint32_t scratch[2];
static unsigned int delegated;	/* causes that never exit on this tree (-d) */
static int stats_fd[MAX_VCPUS];	/* opened before any KVM_RUN holds the vCPU */

static struct kvm_vm *vm;
static struct kvm_vcpu *vcpus[MAX_VCPUS];
static int nr_vcpus;
static volatile int stop_readers, stop_dfs_reader;
static char dfs_dir[64];	/* the VM's debugfs directory, kept past its teardown */

/*
 * Trap i of a vCPU has cause i % NR_CAUSES: every counter moves all along.
 * The exits it causes: a delegated cause never exits.
 */
static uint64_t expected(int c, uint64_t t)
{
	if (delegated & (1u << c))
		return 0;
	return t / NR_CAUSES + (c < t % NR_CAUSES);
}

static uint64_t stat_of(int v, const char *name)
{
	uint64_t x;

	TEST_ASSERT(!wb_stat_read(stats_fd[v], name, &x), "no statistic %s", name);
	return x;
}

static void guest_storm(void)
{
	unsigned long misaligned = (unsigned long)scratch + 1;
	uint64_t i;
	int c;

	for (i = 0; i < traps_per_vcpu; i++) {
		c = i % NR_CAUSES;
		wb_raiser(c)(wb_misaligned(c) ? misaligned : UNBACKED_GPA);
	}
	GUEST_DONE();
}

/* stvec on the unbacked page: each redirect faults again, forever */
static void guest_broken(void)
{
	csr_write(CSR_STVEC, UNBACKED_GPA);
	wb_raiser(C_illegal)(0);
	GUEST_FAIL("the broken trap vector returned");
}

static void setup(int n, void *guest_code)
{
	char *before = wb_debugfs_list();
	int i;

	nr_vcpus = n;
	vm = vm_create_with_vcpus(n, guest_code, vcpus);
	/* a vCPU ioctl: open every stats fd before any KVM_RUN holds its vCPU */
	for (i = 0; i < n; i++)
		stats_fd[i] = vcpu_get_stats_fd(vcpus[i]);
	/* Needs the series: without it an instruction access fault ends the VM */
	if (wb_stat_offset(stats_fd[0], "instr_access_exits") < 0) {
		printf("1..0 # SKIP this kernel has no instr_access_exits statistic\n");
		exit(KSFT_SKIP);
	}
	wb_vm_setup(vm, vcpus, n);
	sync_global_to_guest(vm, traps_per_vcpu);
	wb_debugfs_dir(before, vm->fd, dfs_dir, sizeof(dfs_dir));
	free(before);
}

static void close_stats_fds(void)
{
	int i;

	for (i = 0; i < nr_vcpus; i++)
		close(stats_fd[i]);
}

/* A reader of one vCPU's binary stats: its own fd, the six offsets found once */
struct fd_reader {
	struct kvm_vcpu *vcpu;
	int fd;
	off_t off[NR_CAUSES];
	uint64_t last[NR_CAUSES], samples, between, errors;
};

static void fd_reader_open(struct fd_reader *r)
{
	int c;

	r->fd = vcpu_get_stats_fd(r->vcpu);
	for (c = 0; c < NR_CAUSES; c++) {
		r->off[c] = wb_stat_offset(r->fd, wb_causes[c].stat);
		TEST_ASSERT(r->off[c] >= 0, "no statistic %s", wb_causes[c].stat);
	}
}

/* One sample: -1 on a read error, else whether a value lay strictly inside (0, final) */
static int fd_reader_sample(struct fd_reader *r, const uint64_t *final)
{
	uint64_t v;
	int c, inside = 0;

	for (c = 0; c < NR_CAUSES; c++) {
		if (pread(r->fd, &v, sizeof(v), r->off[c]) != sizeof(v))
			return -1;
		TEST_ASSERT(v >= r->last[c], "%s went backwards: %lu after %lu",
			    wb_causes[c].stat, v, r->last[c]);
		r->last[c] = v;
		inside |= final && v > 0 && v < final[c];
	}
	return inside;
}

static uint64_t storm_final[NR_CAUSES];

static void *fd_reader_thread(void *arg)
{
	struct fd_reader *r = arg;
	int s;

	while (!stop_readers) {
		s = fd_reader_sample(r, storm_final);
		TEST_ASSERT(s >= 0, "pread of a stats fd failed: %s", strerror(errno));
		r->samples++;
		r->between += s;
	}
	return NULL;
}

/* Reads the per-VM debugfs files; each one sums the VM's vCPUs */
struct dfs_reader {
	uint64_t last[NR_CAUSES], samples, between, gone, errors;
	uint64_t final_vm[NR_CAUSES];
	bool allow_gone;	/* the VM is being destroyed: ENOENT is fine */
	bool settled;		/* the guests are done: every value is final */
};

static int dfs_read(const char *stat, uint64_t *v)
{
	char path[128], buf[32] = {};
	int fd, n;

	snprintf(path, sizeof(path), "%s/%s", dfs_dir, stat);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	*v = strtoull(buf, NULL, 10);
	return 0;
}

static void *dfs_reader_thread(void *arg)
{
	struct dfs_reader *r = arg;
	int c, ret, inside;
	uint64_t v;

	while (!stop_dfs_reader) {
		inside = 0;
		for (c = 0; c < NR_CAUSES; c++) {
			ret = dfs_read(wb_causes[c].stat, &v);
			if (ret == -ENOENT && r->allow_gone) {
				r->gone++;
				continue;
			}
			TEST_ASSERT(!ret, "reading debugfs %s failed: %s", wb_causes[c].stat, strerror(-ret));
			TEST_ASSERT(v >= r->last[c], "debugfs %s went backwards: %lu after %lu",
				    wb_causes[c].stat, v, r->last[c]);
			TEST_ASSERT(!r->settled || v == r->final_vm[c], "debugfs %s read %lu, final is %lu",
				    wb_causes[c].stat, v, r->final_vm[c]);
			r->last[c] = v;
			inside |= !r->settled && v > 0 && v < r->final_vm[c];
			r->samples++;	/* one sample: one value read */
		}
		r->between += inside;
	}
	return NULL;
}

static void *vcpu_thread(void *arg)
{
	wb_run_to_done(arg);
	return NULL;
}

static void run_vcpus(void)
{
	pthread_t t[MAX_VCPUS];
	int v;

	for (v = 0; v < nr_vcpus; v++)
		pthread_create(&t[v], NULL, vcpu_thread, vcpus[v]);
	for (v = 0; v < nr_vcpus; v++)
		pthread_join(t[v], NULL);
}

static int storm(uint64_t t)
{
	struct fd_reader fr[MAX_VCPUS] = {};
	struct dfs_reader dr = {};
	pthread_t rt[MAX_VCPUS + 1];
	uint64_t v;
	int c, i;

	traps_per_vcpu = t;
	setup(MAX_VCPUS, guest_storm);
	printf("1..1\n");
	for (c = 0; c < NR_CAUSES; c++) {
		storm_final[c] = expected(c, t);
		dr.final_vm[c] = MAX_VCPUS * storm_final[c];
	}
	for (i = 0; i < MAX_VCPUS; i++) {
		fr[i].vcpu = vcpus[i];
		fd_reader_open(&fr[i]);
		pthread_create(&rt[i], NULL, fd_reader_thread, &fr[i]);
	}
	pthread_create(&rt[MAX_VCPUS], NULL, dfs_reader_thread, &dr);

	run_vcpus();
	/* readers go on until each has its share of samples */
	for (;;) {
		for (i = 0; i < MAX_VCPUS && fr[i].samples >= MIN_SAMPLES; i++)
			;
		if (i == MAX_VCPUS && dr.samples >= MIN_SAMPLES)
			break;
		usleep(10000);
	}
	stop_readers = 1;
	stop_dfs_reader = 1;
	for (i = 0; i <= MAX_VCPUS; i++)
		pthread_join(rt[i], NULL);

	for (i = 0; i < MAX_VCPUS; i++) {
		for (c = 0; c < NR_CAUSES; c++) {
			v = stat_of(i, wb_causes[c].stat);
			TEST_ASSERT(v == storm_final[c], "vCPU %d: %s is %lu, expected %lu",
				    i, wb_causes[c].stat, v, storm_final[c]);
		}
		printf("# stats fd reader of vCPU %d: %lu samples, %lu while the counters moved\n",
		       i, fr[i].samples, fr[i].between);
		TEST_ASSERT(fr[i].between > 0, "reader %d never saw a counter move", i);
	}
	for (c = 0; c < NR_CAUSES; c++) {
		TEST_ASSERT(!dfs_read(wb_causes[c].stat, &v) && v == dr.final_vm[c],
			    "debugfs %s is %lu, expected %lu", wb_causes[c].stat, v, dr.final_vm[c]);
	}
	printf("# debugfs reader: %lu samples (values read), %lu rounds while the counters moved\n",
	       dr.samples, dr.between);
	TEST_ASSERT(dr.between > 0, "the debugfs reader never saw a counter move");
	printf("ok 1 storm: %d vCPUs x %lu traps over %d causes, every counter exact, none went backwards\n",
	       MAX_VCPUS, t, NR_CAUSES);
	close_stats_fds();
	kvm_vm_free(vm);
	return 0;
}

static void on_signal(int sig)
{
}

static void *broken_vcpu_thread(void *arg)
{
	struct kvm_vcpu *vcpu = arg;
	long ret = __vcpu_run(vcpu);

	return (void *)(ret < 0 ? (long)errno : 0);
}

static int broken(void)
{
	uint64_t a, b;
	pthread_t t;
	void *err;

	signal(SIGUSR1, on_signal);
	setup(1, guest_broken);
	printf("1..1\n");
	pthread_create(&t, NULL, broken_vcpu_thread, vcpus[0]);
	usleep(300000);
	a = stat_of(0, "instr_access_exits");
	usleep(300000);
	b = stat_of(0, "instr_access_exits");
	TEST_ASSERT(b > a && a > 0, "instr_access_exits did not keep rising: %lu then %lu", a, b);
	pthread_kill(t, SIGUSR1);
	pthread_join(t, &err);
	TEST_ASSERT((long)err == EINTR, "KVM_RUN ended with errno %ld, expected EINTR", (long)err);
	TEST_ASSERT(vcpus[0]->run->exit_reason == KVM_EXIT_INTR, "exit reason %u, expected KVM_EXIT_INTR",
		    vcpus[0]->run->exit_reason);
	printf("# instr_access_exits rose from %lu to %lu in 0.3 s; signal_exits %lu\n", a, b,
	       stat_of(0, "signal_exits"));
	close_stats_fds();
	kvm_vm_free(vm);
	printf("ok 1 broken guest: redirect loop interrupted by a signal, VM torn down\n");
	return 0;
}

static int teardown(void)
{
	struct fd_reader fr[2] = {};
	struct dfs_reader dr = { .allow_gone = true, .settled = true };
	uint64_t final[NR_CAUSES];
	pthread_t rt[3];
	int c, i;

	traps_per_vcpu = 6000;
	setup(2, guest_storm);
	printf("1..1\n");
	run_vcpus();
	close_stats_fds();	/* only the readers' stats fds may keep the VM alive */
	for (c = 0; c < NR_CAUSES; c++) {
		final[c] = expected(c, traps_per_vcpu);
		dr.final_vm[c] = 2 * final[c];
	}
	for (i = 0; i < 2; i++) {
		fr[i].vcpu = vcpus[i];
		fd_reader_open(&fr[i]);
		pthread_create(&rt[i], NULL, fd_reader_thread, &fr[i]);
	}
	pthread_create(&rt[2], NULL, dfs_reader_thread, &dr);
	usleep(100000);
	/* close the VM and vCPU fds: the readers' stats fds keep the VM alive */
	kvm_vm_free(vm);
	usleep(100000);
	stop_readers = 1;
	for (i = 0; i < 2; i++)
		pthread_join(rt[i], NULL);
	for (i = 0; i < 2; i++) {
		for (c = 0; c < NR_CAUSES; c++)
			TEST_ASSERT(fr[i].last[c] == final[c], "after teardown, stats fd %d: %s %lu, expected %lu",
				    i, wb_causes[c].stat, fr[i].last[c], final[c]);
		TEST_ASSERT(fr[i].samples > 0, "stats fd reader %d read nothing", i);
		/* the last reference: the VM is destroyed while debugfs is being read */
		close(fr[i].fd);
	}
	usleep(200000);
	stop_dfs_reader = 1;
	pthread_join(rt[2], NULL);
	TEST_ASSERT(dr.gone > 0, "the debugfs files never went away");
	printf("# stats fd readers: %lu and %lu samples, final values throughout; debugfs: %lu reads, %lu after the files were gone\n",
	       fr[0].samples, fr[1].samples, dr.samples, dr.gone);
	printf("ok 1 teardown: reads during VM destruction gave final values or ENOENT\n");
	return 0;
}

int main(int argc, char *argv[])
{
	if (argc > 2 && !strcmp(argv[1], "-d")) {
		delegated = wb_parse_delegated(argv[2]);
		argc -= 2;
		argv += 2;
	}
	if (argc == 3 && !strcmp(argv[1], "storm"))
		return storm(strtoull(argv[2], NULL, 0));
	if (argc == 2 && !strcmp(argv[1], "broken"))
		return broken();
	if (argc == 2 && !strcmp(argv[1], "teardown"))
		return teardown();
	fprintf(stderr, "usage: wb-stress [-d CAUSE,...] storm TRAPS_PER_VCPU | broken | teardown\n");
	return 1;
}
