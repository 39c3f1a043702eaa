# The workbench's front door. Every stage is a script in scripts/; the Makefile
# only names them and passes the paths. "make check" is the test command,
# "make demo" the main job. KERNEL_SRC=/path/to/tree uses your own kernel tree
# (its HEAD is the base; the series goes on a throwaway worktree).
SHELL := /bin/bash
BUILD := build
SERIES := patches/series
PLAN := plan/check.plan
ifdef KERNEL_SRC
BASE := $(KERNEL_SRC)
WORK := $(BUILD)/user-work
else
BASE := $(BUILD)/base
WORK := $(BUILD)/work
endif
OUT := $(WORK)/wb-out

.PHONY: help packages tree apply kernel selftests image boot quick check check-debug soak demo bench export lint test clean

help:
	@echo "make check   apply the series, build, boot, run the test plan and all the gates"
	@echo "make demo    boot the patched kernel and show a guest's trap counters"
	@echo "make check-debug   the check plan on a lockdep + KASAN kernel; make soak: the full storm"
	@echo "make bench   the counters' cost: static, icount and emulator-time figures"
	@echo "make quick   rebuild the work tree, boot, run the quick plan (the developers' loop)"
	@echo "stages: packages tree apply kernel selftests image boot export lint test"

packages:
	@scripts/packages.sh

tree: packages
ifndef KERNEL_SRC
	@scripts/base.sh
endif

apply: tree
	@scripts/apply.sh $(BASE) $(WORK) $(SERIES)

kernel: apply
	@scripts/build.sh $(WORK) kernel

selftests: kernel
	@scripts/build.sh $(WORK) selftests

image: selftests
	@scripts/image.sh $(BUILD)/check.cpio $(PLAN) $(OUT)/_selftests

boot: image
	@scripts/boot.sh $(OUT)/arch/riscv/boot/Image $(BUILD)/check.cpio $(BUILD)/check.console
	@scripts/verdict.sh $(BUILD)/check.console $(PLAN) patched

# The developers' loop: rebuild what changed in the work tree (commits not exported
# yet included), boot, run the quick plan.
quick:
	@scripts/build.sh $(WORK) all
	@scripts/image.sh $(BUILD)/quick.cpio plan/quick.plan $(OUT)
	@scripts/boot.sh $(OUT)/arch/riscv/boot/Image $(BUILD)/quick.cpio $(BUILD)/quick.console
	@scripts/verdict.sh $(BUILD)/quick.console plan/quick.plan patched

# Regenerate patches/ from the work tree's commits (the developers' loop).
export:
	@scripts/export.sh $(WORK) $$(git -C $(BASE) rev-parse HEAD)

test:
	@tests/run.sh

lint: apply
	@scripts/lint.sh $(WORK) $(SERIES) $$(git -C $(BASE) rev-parse HEAD)

check: packages
	@scripts/check.sh $(BASE) $(WORK)

demo: selftests
	@scripts/demo.sh $(OUT)

# The check plan on a debug kernel (lockdep, KASAN, ...), and the full-size storm.
check-debug: selftests
	@scripts/check-debug.sh $(BASE) $(SERIES) $(OUT)

soak: selftests
	@scripts/image.sh $(BUILD)/soak.cpio plan/soak.plan $(OUT)
	@scripts/boot.sh $(OUT)/arch/riscv/boot/Image $(BUILD)/soak.cpio $(BUILD)/soak.console 7200
	@scripts/verdict.sh $(BUILD)/soak.console plan/soak.plan patched

# Not part of make check: timings are figures, not tests.
bench: tree
	@scripts/bench.sh $(BASE) $(SERIES)

clean:
	rm -rf $(BUILD)
