/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the workbench's KVM programs (demo.c, bench.c, stress.c), built
 * against the KVM selftests library of the tree under test (6.12 or 7.x:
 * build.sh passes -DWB_REGS=ex_regs or pt_regs, the library's trap frame).
 *
 * The trap causes come from causes.def, the workbench's one table of them.
 * Guest side: one raiser per cause, each raising one trap from a 4-byte
 * instruction, 8 bytes apart from wb_raisers in table order. a0 is the
 * address to use: misaligned for the misaligned causes, unbacked for the
 * access faults. The handler resumes after the faulting instruction, or at
 * ra for an instruction access fault ("jr a0" never returns by itself).
 */
#ifndef WB_GUEST_H
#define WB_GUEST_H

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* A hole in QEMU virt's physical map: any access to it faults */
#define UNBACKED_PA	0x200000UL
/* where the guest sees it, identity mapped */
#define UNBACKED_GPA	0x40000000UL
#define UNBACKED_SLOT	10

enum cause {
#define CAUSE(name, scause, stat, insn, what) C_##name,
#include "causes.def"
#undef CAUSE
	NR_CAUSES
};

static const struct wb_cause {
	const char *name, *stat, *what;
	int scause;
} wb_causes[NR_CAUSES] = {
#define CAUSE(name, scause, stat, insn, what) { #name, #stat, what, scause },
#include "causes.def"
#undef CAUSE
};

asm(".pushsection .text, \"ax\"\n"
	".option push\n"
	".option norvc\n"
	".balign 4\n"
	"wb_raisers:\n"
#define CAUSE(name, scause, stat, insn, what) "	" insn "\n	ret\n"
#include "causes.def"
#undef CAUSE
	".option pop\n"
	".popsection\n");

typedef void (*raiser_fn)(unsigned long arg);

static inline raiser_fn wb_raiser(int k)
{
	unsigned long base;

	asm("la %0, wb_raisers" : "=r"(base));
	return (raiser_fn)(base + 8 * k);
}

static inline bool wb_misaligned(int k)
{
	return k == C_load_mis || k == C_store_mis;
}

/* The guest's exception handler: resume after the trap */
static inline void wb_resume(struct WB_REGS *regs)
{
	regs->epc = regs->cause == EXC_INST_ACCESS ? regs->ra : regs->epc + 4;
}

/*
 * "-d illegal,load_mis": the causes this tree delegates to the guest. They
 * never exit, so KVM's counters for them stay 0. Returns a bitmap.
 */
static inline unsigned int wb_parse_delegated(const char *list)
{
	unsigned int mask = 0;
	char *copy = strdup(list), *s, *save = NULL;
	int k;

	for (s = strtok_r(copy, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
		for (k = 0; k < NR_CAUSES && strcmp(s, wb_causes[k].name); k++)
			;
		TEST_ASSERT(k < NR_CAUSES, "-d: no cause named '%s'", s);
		mask |= 1u << k;
	}
	free(copy);
	return mask;
}

/*
 * Host side: install wb_resume() for every cause on every vCPU, and map the
 * unbacked page (through /dev/mem) at UNBACKED_GPA.
 */
static inline void wb_vm_setup(struct kvm_vm *vm, struct kvm_vcpu **vcpus, int n)
{
	void *hva;
	int fd, i;

	vm_init_vector_tables(vm);
	for (i = 0; i < n; i++)
		vcpu_init_vector_tables(vcpus[i]);
	for (i = 0; i < NR_CAUSES; i++)
		vm_install_exception_handler(vm, wb_causes[i].scause, wb_resume);

	fd = open("/dev/mem", O_RDWR | O_SYNC);
	TEST_ASSERT(fd >= 0, "open(/dev/mem)");
	hva = mmap(NULL, vm->page_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, UNBACKED_PA);
	TEST_ASSERT(hva != MAP_FAILED, "mmap(/dev/mem at 0x%lx)", UNBACKED_PA);
	close(fd);
	vm_set_user_memory_region(vm, UNBACKED_SLOT, 0, UNBACKED_GPA, vm->page_size, hva);
	virt_map(vm, UNBACKED_GPA, UNBACKED_GPA, 1);
}

/*
 * Host side: the offset of a statistic in a binary stats fd (KVM_GET_STATS_FD),
 * or -1 if this kernel has none of that name. Our own lookup, so that the
 * programs need nothing from the series' selftests library.
 */
static inline off_t wb_stat_offset(int stats_fd, const char *name)
{
	struct kvm_stats_header h;
	struct kvm_stats_desc *descs, *d;
	off_t off = -1;
	uint32_t i;

	read_stats_header(stats_fd, &h);
	descs = read_stats_descriptors(stats_fd, &h);
	for (i = 0; i < h.num_desc; i++) {
		d = get_stats_descriptor(descs, i, &h);
		if (!strcmp(d->name, name))
			off = h.data_offset + d->offset;
	}
	free(descs);
	return off;
}

/* Host side: one u64 statistic through a stats fd; -1 if absent */
static inline int wb_stat_read(int stats_fd, const char *name, uint64_t *v)
{
	off_t off = wb_stat_offset(stats_fd, name);

	if (off < 0)
		return -1;
	TEST_ASSERT(pread(stats_fd, v, sizeof(*v), off) == sizeof(*v), "pread of %s", name);
	return 0;
}

/*
 * Host side: the VM's debugfs directory, /sys/kernel/debug/kvm/PID-FD. PID is
 * the process's id in the initial PID namespace, which getpid() need not be:
 * take the entry ending in "-FD" that appeared since @before (a listing taken
 * before the VM was created, see wb_debugfs_list()).
 */
static inline char *wb_debugfs_list(void)
{
	char *buf = calloc(1, 65536);
	DIR *d = opendir("/sys/kernel/debug/kvm");
	struct dirent *e;

	TEST_ASSERT(buf && d, "listing /sys/kernel/debug/kvm (is debugfs mounted?)");
	strcpy(buf, "\n");	/* every entry is "\nNAME\n" in the list */
	while ((e = readdir(d)))
		if (strlen(buf) + strlen(e->d_name) + 2 < 65536)
			strcat(strcat(buf, e->d_name), "\n");
	closedir(d);
	return buf;
}

static inline void wb_debugfs_dir(const char *before, int vm_fd, char *dir, size_t size)
{
	char *now = wb_debugfs_list(), *s, *save = NULL, suffix[16], entry[80], found[64] = "";
	size_t n;

	snprintf(suffix, sizeof(suffix), "-%d", vm_fd);
	for (s = strtok_r(now, "\n", &save); s; s = strtok_r(NULL, "\n", &save)) {
		n = strlen(s);
		snprintf(entry, sizeof(entry), "\n%s\n", s);
		if (n > strlen(suffix) && !strcmp(s + n - strlen(suffix), suffix) && !strstr(before, entry))
			snprintf(found, sizeof(found), "%s", s);
	}
	free(now);
	TEST_ASSERT(found[0], "no new /sys/kernel/debug/kvm/*%s directory (is debugfs mounted?)", suffix);
	snprintf(dir, size, "/sys/kernel/debug/kvm/%s", found);
}

/* Host side: run a vCPU until its guest code calls GUEST_DONE(); fail otherwise */
static inline void wb_run_to_done(struct kvm_vcpu *vcpu)
{
	struct ucall uc;

	vcpu_run(vcpu);
	switch (get_ucall(vcpu, &uc)) {
	case UCALL_DONE:
		break;
	case UCALL_ABORT:
		REPORT_GUEST_ASSERT(uc);
	default:
		TEST_FAIL("vCPU %u stopped unexpectedly: exit reason %s", vcpu->id,
			  exit_reason_str(vcpu->run->exit_reason));
	}
}

#endif
