/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the workbench's KVM programs (demo.c, bench.c, stress.c).
 *
 * Guest side: one
 * function per redirected cause, each raising one trap from a 4-byte
 * instruction, in enum raiser order, 8 bytes apart from wb_raisers. a0 is
 * the address to use: misaligned for the misaligned causes, unbacked for the
 * access faults. The handler resumes after the faulting instruction, or at
 * ra for an instruction access fault ("jr a0" never returns by itself).
 */
#ifndef WB_GUEST_H
#define WB_GUEST_H

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

/* A hole in QEMU virt's physical map: any access to it faults */
#define UNBACKED_PA	0x200000UL
/* where the guest sees it, identity mapped */
#define UNBACKED_GPA	0x40000000UL
#define UNBACKED_SLOT	10

enum raiser { ILLEGAL, LOAD_MIS, STORE_MIS, LOAD_ACC, STORE_ACC, INSTR_ACC, NR_RAISERS };

asm(".pushsection .text, \"ax\"\n"
	".option push\n"
	".option norvc\n"
	".balign 4\n"
	"wb_raisers:\n"
	"	.4byte 0\n ret\n"
	"	lr.w t0, (a0)\n ret\n"
	"	amoadd.w t0, zero, (a0)\n ret\n"
	"	lw t0, 0(a0)\n ret\n"
	"	sw zero, 0(a0)\n ret\n"
	"	jr a0\n"
	".option pop\n"
	".popsection\n");

typedef void (*raiser_fn)(unsigned long arg);

static inline raiser_fn wb_raiser(int k)
{
	unsigned long base;

	asm("la %0, wb_raisers" : "=r"(base));
	return (raiser_fn)(base + 8 * k);
}

/* The guest's exception handler: resume after the trap */
static inline void wb_resume(struct ex_regs *regs)
{
	regs->epc = regs->cause == EXC_INST_ACCESS ? regs->ra : regs->epc + 4;
}

/*
 * Host side: install wb_resume() for the six redirected causes on every vCPU,
 * and map the unbacked page (through /dev/mem) at UNBACKED_GPA.
 */
static inline void wb_vm_setup(struct kvm_vm *vm, struct kvm_vcpu **vcpus, int n)
{
	static const int causes[] = {
		EXC_INST_ILLEGAL, EXC_LOAD_MISALIGNED, EXC_STORE_MISALIGNED,
		EXC_LOAD_ACCESS, EXC_STORE_ACCESS, EXC_INST_ACCESS,
	};
	void *hva;
	int fd, i;

	vm_init_vector_tables(vm);
	for (i = 0; i < n; i++)
		vcpu_init_vector_tables(vcpus[i]);
	for (i = 0; i < NR_RAISERS; i++)
		vm_install_exception_handler(vm, causes[i], wb_resume);

	fd = open("/dev/mem", O_RDWR | O_SYNC);
	TEST_ASSERT(fd >= 0, "open(/dev/mem)");
	hva = mmap(NULL, vm->page_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, UNBACKED_PA);
	TEST_ASSERT(hva != MAP_FAILED, "mmap(/dev/mem at 0x%lx)", UNBACKED_PA);
	close(fd);
	vm_set_user_memory_region(vm, UNBACKED_SLOT, 0, UNBACKED_GPA, vm->page_size, hva);
	virt_map(vm, UNBACKED_GPA, UNBACKED_GPA, 1);
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
