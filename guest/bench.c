// SPDX-License-Identifier: GPL-2.0-only
/*
 * "make bench", inside the test VM: a KVM guest raises N traps of one cause
 * in a tight loop and times only that loop, from inside, with the time CSR.
 * Under QEMU's -icount shift=0 one instruction is one nanosecond of virtual
 * time at every privilege level, so ticks * 1e9 / timebase / N is the number
 * of instructions of one redirected-trap round trip (guest loop, trap to the
 * host, KVM's exit path, redirect, guest handler, sret), the same on every
 * boot but for interrupts that land inside the loop.
 *
 * usage: wb-bench N CAUSE...   (CAUSE: a name from causes.def)
 * prints: "bench CAUSE N TICKS WALL_NS" per cause; WALL_NS is the host
 * (L1) clock around the whole run, for the emulator-time comparison.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kvm_util.h"
#include "processor.h"
#include "ucall_common.h"
#include "wb_guest.h"


static uint64_t job_cause, job_n;
static uint32_t scratch[2];

static void guest_code(void)
{
	unsigned long arg, t0, t1;
	raiser_fn raise;
	uint64_t i;

	for (;;) {
		raise = wb_raiser(job_cause);
		arg = wb_misaligned(job_cause) ? (unsigned long)scratch + 1 : UNBACKED_GPA;
		t0 = csr_read(CSR_TIME);
		for (i = 0; i < job_n; i++)
			raise(arg);
		t1 = csr_read(CSR_TIME);
		GUEST_SYNC(t1 - t0);
	}
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int main(int argc, char *argv[])
{
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	struct ucall uc;
	uint64_t n, t;
	int i, k;

	if (argc < 3) {
		fprintf(stderr, "usage: %s N CAUSE...\n", argv[0]);
		return 1;
	}
	n = strtoull(argv[1], NULL, 0);

	vm = vm_create_with_one_vcpu(&vcpu, guest_code);
	wb_vm_setup(vm, &vcpu, 1);

	for (i = 2; i < argc; i++) {
		for (k = 0; k < NR_CAUSES && strcmp(argv[i], wb_causes[k].name); k++)
			;
		TEST_ASSERT(k < NR_CAUSES, "unknown cause %s", argv[i]);
		job_cause = k;
		job_n = n;
		sync_global_to_guest(vm, job_cause);
		sync_global_to_guest(vm, job_n);
		t = now_ns();
		vcpu_run(vcpu);
		t = now_ns() - t;
		switch (get_ucall(vcpu, &uc)) {
		case UCALL_SYNC:
			printf("bench %s %lu %lu %lu\n", wb_causes[k].name, n, uc.args[1], t);
			break;
		case UCALL_ABORT:
			REPORT_GUEST_ASSERT(uc);
		default:
			TEST_FAIL("unexpected exit: %s",
				  exit_reason_str(vcpu->run->exit_reason));
		}
	}
	kvm_vm_free(vm);
	return 0;
}
