# The workbench's front door. Every stage is a script in scripts/; the Makefile
# only names them. "make check" is the test command (both targets, or TARGET=
# one), "make demo" the main job. A target is a file in targets/: 6.12 (the
# 6.12 LTS line) or mainline (Linux 7.3). KERNEL_SRC=/path/to/tree uses your own
# kernel tree as the TARGET's base (its HEAD; the series goes on a throwaway worktree).
SHELL := /bin/bash
TARGETS := 6.12 mainline
CHECK_TARGETS := $(if $(TARGET),$(TARGET),$(TARGETS))
TARGET ?= mainline
export KERNEL_SRC

.PHONY: help packages base apply build quick check check-full check-debug soak demo demo-real check-real bench export lint outgoing fresh test clean

help:
	@echo "make check        both targets: apply, build, checkpatch, boot and test, mutants (TARGET=6.12|mainline: one)"
	@echo "make check-full   check plus the compiling lint gates, slow tests, the base kernel's run, lint's fixtures"
	@echo "make demo         boot the patched kernel and show a guest's trap counters (TARGET=, default mainline)"
	@echo "make bench        what the counters cost on the trap path, per layer of the series"
	@echo "make soak         the full-size storm; make check-debug: the plan on a lockdep + KASAN kernel"
	@echo "make fresh        the README's two commands on a bare Debian 12 root (mmdebstrap)"
	@echo "make demo-real    a real Linux guest under QEMU 11 in the emulated host; kvm_stat and QMP read the counters"
	@echo "make check-real   the same, asserting exact agreement (TARGET=, default mainline)"
	@echo "make outgoing     the series with your identity and recipients, ready for git send-email"
	@echo "developers' loop: make apply | build | quick | export | lint   (TARGET=, default mainline)"

packages:
	@scripts/packages.sh

ifneq ($(KERNEL_SRC),)
ifeq ($(origin TARGET),file)
$(error KERNEL_SRC: say which series goes onto your tree, TARGET=6.12 or TARGET=mainline)
endif
endif

base: packages
	@scripts/base.sh $(TARGET)

apply build quick export: packages
	@scripts/work.sh $(TARGET) $@

check: packages
	@scripts/check.sh $(CHECK_TARGETS)

check-full: packages
	@FULL=1 scripts/check.sh $(CHECK_TARGETS)

lint: packages
	@scripts/work.sh $(TARGET) apply >/dev/null
	@scripts/lint.sh $(TARGET)

demo: packages
	@scripts/demo.sh $(TARGET)

demo-real check-real: packages
	@scripts/real.sh $(subst -real,,$@) $(TARGET)

bench: packages
	@scripts/bench.sh $(TARGET)

soak check-debug: packages
	@scripts/$@.sh $(TARGET)

outgoing: packages
	@scripts/outgoing.sh $(TARGET)

fresh:
	@scripts/fresh.sh

test:
	@tests/run.sh

clean:
	rm -rf build
