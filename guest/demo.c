// SPDX-License-Identifier: GPL-2.0-only
/*
 * "make demo", inside the test VM: a KVM guest raises a known number of
 * each redirected trap, then this program prints what the host saw: every
 * vCPU statistic read through KVM_GET_STATS_FD, the per-VM debugfs files,
 * and one table of the redirected-trap counters next to what was raised.
 * With -n, the guest also jumps to a guest physical address that no memslot
 * covers, which 7.x redirects as an instruction access fault (6.12 fails
 * KVM_RUN on it instead).
 *
 * Built against the KVM selftests library of the patched tree.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kvm_util.h"
#include "processor.h"
#include "ucall_common.h"
#include "wb_guest.h"


/* How many of each the guest raises: small, distinct, easy to check by eye */
static const uint64_t raised[NR_CAUSES] = { 3, 5, 7, 11, 13, 17 };

static uint32_t scratch[2];

/* -n: jumps to a GPA no memslot covers (identity mapped in the guest) */
#define NOSLOT_GPA	0x50000000UL
static uint64_t noslot_raised;

static void guest_code(void)
{
	unsigned long arg;
	uint64_t i;
	int k;

	for (k = 0; k < NR_CAUSES; k++) {
		arg = wb_misaligned(k) ? (unsigned long)scratch + 1 : UNBACKED_GPA;
		for (i = 0; i < raised[k]; i++)
			wb_raiser(k)(arg);
	}
	for (i = 0; i < noslot_raised; i++)
		wb_raiser(C_instr_acc)(NOSLOT_GPA);
	GUEST_DONE();
}

static const char *stat_type(uint32_t flags)
{
	switch (flags & KVM_STATS_TYPE_MASK) {
	case KVM_STATS_TYPE_CUMULATIVE:	return "cumulative";
	case KVM_STATS_TYPE_INSTANT:	return "instant";
	case KVM_STATS_TYPE_PEAK:	return "peak";
	case KVM_STATS_TYPE_LINEAR_HIST: return "linear histogram";
	case KVM_STATS_TYPE_LOG_HIST:	return "log histogram";
	}
	return "?";
}

static void print_all_vcpu_stats(int fd)
{
	struct kvm_stats_header header;
	struct kvm_stats_desc *descs, *d;
	uint64_t data[64], sum;
	uint32_t i, j;

	read_stats_header(fd, &header);
	descs = read_stats_descriptors(fd, &header);
	printf("\nEvery statistic of vCPU 0, read through KVM_GET_STATS_FD (%u):\n",
	       header.num_desc);
	for (i = 0; i < header.num_desc; i++) {
		d = get_stats_descriptor(descs, i, &header);
		read_stat_data(fd, &header, d, data, d->size < 64 ? d->size : 64);
		if (d->size == 1) {
			printf("  %-26s %-16s %lu\n", d->name, stat_type(d->flags), data[0]);
			continue;
		}
		for (sum = 0, j = 0; j < d->size && j < 64; j++)
			sum += data[j];
		printf("  %-26s %-16s %u buckets, %lu in all\n", d->name,
		       stat_type(d->flags), d->size, sum);
	}
	free(descs);
}

static void print_debugfs(const char *dir)
{
	struct dirent **names;
	char path[512], buf[64];
	int n, i, fd, len;

	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		printf("\n%s: not there (is debugfs mounted?)\n", dir);
		return;
	}
	printf("\nThe per-VM files in %s/ (sums over the VM's vCPUs):\n", dir);
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] == '.')
			goto next;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		fd = open(path, O_RDONLY);
		len = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
		if (fd >= 0)
			close(fd);
		buf[len > 0 ? len : 0] = 0;
		if (len > 0 && buf[len - 1] == '\n')
			buf[len - 1] = 0;
		printf("  %-28s %s\n", names[i]->d_name, len > 0 ? buf : "(unreadable)");
next:
		free(names[i]);
	}
	free(names);
}

static long debugfs_value(const char *dir, const char *stat)
{
	char path[512], buf[32] = {};
	int fd, len;

	snprintf(path, sizeof(path), "%s/%s", dir, stat);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return len > 0 ? strtol(buf, NULL, 10) : -1;
}

int main(int argc, char *argv[])
{
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	char dir[128], fdval[24], dfsval[24], *before;
	unsigned int delegated = 0;
	uint64_t v, want, n;
	int k, fd, opt, bad = 0;
	long dfs;

	while ((opt = getopt(argc, argv, "d:n")) != -1) {
		if (opt == 'd')
			delegated = wb_parse_delegated(optarg);
		else if (opt == 'n')
			noslot_raised = 19;
		else
			TEST_FAIL("usage: %s [-d CAUSE,...] [-n]   (-d: the causes this tree delegates; -n: also fetch from a GPA no memslot covers)",
				  argv[0]);
	}

	before = wb_debugfs_list();
	vm = vm_create_with_one_vcpu(&vcpu, guest_code);
	wb_vm_setup(vm, &vcpu, 1);
	wb_debugfs_dir(before, vm->fd, dir, sizeof(dir));
	if (noslot_raised)
		virt_map(vm, NOSLOT_GPA, NOSLOT_GPA, 1);
	sync_global_to_guest(vm, noslot_raised);
	fd = vcpu_get_stats_fd(vcpu);

	printf("A KVM guest raises, from VS-mode:\n");
	for (k = 0; k < NR_CAUSES; k++)
		printf("  %3lu x %s%s\n", raised[k], wb_causes[k].what,
		       delegated & (1u << k) ? "  (delegated to the guest: no exit)" : "");
	if (noslot_raised)
		printf("  %3lu x jump to a guest physical address no memslot covers\n",
		       noslot_raised);

	wb_run_to_done(vcpu);

	print_all_vcpu_stats(fd);
	print_debugfs(dir);

	printf("\nRedirected traps (debugfs: %s/<counter>):\n", dir);
	printf("  %-24s %8s %8s %10s %9s\n", "counter", "raised", "exits", "stats fd", "debugfs");
	for (k = 0; k < NR_CAUSES; k++) {
		n = raised[k] + (k == C_instr_acc ? noslot_raised : 0);
		want = delegated & (1u << k) ? 0 : n;
		if (wb_stat_read(fd, wb_causes[k].stat, &v)) {
			snprintf(fdval, sizeof(fdval), "absent");
			bad++;
		} else {
			snprintf(fdval, sizeof(fdval), "%lu", v);
			bad += v != want;
		}
		dfs = debugfs_value(dir, wb_causes[k].stat);
		if (dfs < 0)
			snprintf(dfsval, sizeof(dfsval), "absent");
		else
			snprintf(dfsval, sizeof(dfsval), "%ld", dfs);
		bad += dfs != (long)want;
		printf("  %-24s %8lu %8lu %10s %9s\n", wb_causes[k].stat, n, want, fdval, dfsval);
	}
	if (noslot_raised)
		printf("  (instr_access_exits: %lu jumps to the unbacked page, %lu to no memslot)\n",
		       raised[C_instr_acc], noslot_raised);
	printf("%s\n", bad ? "\nMISMATCH: a counter differs from the exits the guest caused" :
			     "\nEvery counter equals the exits the guest caused, in both places.");

	close(fd);
	kvm_vm_free(vm);
	return bad ? 1 : 0;
}
