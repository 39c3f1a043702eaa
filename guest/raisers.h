/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest code shared by the workbench's KVM guests (demo.c, bench.c): one
 * function per redirected cause, each raising one trap from a 4-byte
 * instruction, in enum raiser order, 8 bytes apart from wb_raisers. a0 is
 * the address to use: misaligned for the misaligned causes, unbacked for the
 * access faults. The handler resumes after the faulting instruction, or at
 * ra for an instruction access fault ("jr a0" never returns by itself).
 */
#ifndef WB_RAISERS_H
#define WB_RAISERS_H

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

/* The exception handler: resume after the trap */
static inline void wb_resume(struct ex_regs *regs)
{
	regs->epc = regs->cause == EXC_INST_ACCESS ? regs->ra : regs->epc + 4;
}

#endif
