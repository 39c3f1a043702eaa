#!/usr/bin/env python3
"""Static cost of the redirected-trap path, read off a kernel build (make bench).

usage: trap-path.py KERNEL_OUT
For each redirected cause: the number of instructions from the trap switch's
jump-table target in kvm_riscv_vcpu_exit() (arch/riscv/kvm/vcpu_exit.o) to the
call of kvm_riscv_vcpu_trap_redirect() included, along the shortest path (the
guest path). Then, in vcpu_pmu.o, the path lengths of kvm_riscv_vcpu_pmu_incr_fw()
from entry to ret with the firmware counter not started and started.
Prints "static CAUSE N" and "incr_fw not_started|started N" lines.
"""
import os
import re
import subprocess
import sys
from collections import deque

CROSS = "riscv64-linux-gnu-"
# scause -> name, from the workbench's one table of causes (guest/causes.def)
CAUSES = {int(m.group(2)): m.group(1) for m in re.finditer(
    r"^CAUSE\((\w+), *(\d+),", open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "guest", "causes.def")).read(), re.M)}


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def disassemble(obj, func):
    """[(addr, mnemonic, operands, call_target)] of one function."""
    insns, in_func, call = [], False, None
    for line in run(CROSS + "objdump", "-d", "-r", "--no-show-raw-insn", obj).splitlines():
        m = re.match(r"^[0-9a-f]+ <(.+)>:$", line)
        if m:
            name = m.group(1)
            if not name.startswith(".L"):
                in_func = name == func
            continue
        if not in_func:
            continue
        m = re.match(r"^\s+[0-9a-f]+: R_RISCV_CALL(_PLT)?\s+(\S+)", line)
        if m:
            call = m.group(2)
            continue
        m = re.match(r"^\s+([0-9a-f]+):\s+(\S+)\s*(.*)$", line)
        if m and not m.group(2).startswith("R_RISCV"):
            mnem, ops = m.group(2), m.group(3).split("#")[0].strip()
            target = call if mnem == "jalr" and call else None
            if mnem == "jalr":
                call = None
            insns.append((int(m.group(1), 16), mnem, ops, target))
    return insns


def successors(insns, i):
    addr, mnem, ops, _ = insns[i]
    index = {a: k for k, (a, *_r) in enumerate(insns)}
    if mnem in ("ret", "jr"):
        return []
    if mnem in ("j", "c.j"):
        return [index[int(ops.split()[0], 16)]]
    if mnem.startswith("b"):
        tgt = int(ops.split(",")[-1].split()[0], 16)
        return [index[tgt], i + 1]
    return [i + 1] if i + 1 < len(insns) else []


def shortest_to_call(insns, start_addr, callee):
    index = {a: k for k, (a, *_r) in enumerate(insns)}
    start = index[start_addr]
    dist = {start: 1}
    todo = deque([start])
    while todo:
        i = todo.popleft()
        if insns[i][3] == callee:
            return dist[i]
        for j in successors(insns, i):
            if j not in dist:
                dist[j] = dist[i] + 1
                todo.append(j)
    return None


def jump_table(obj):
    """scause -> address of its case, from the .rodata relocations of the table."""
    syms = {}
    for line in run(CROSS + "readelf", "-sW", obj).splitlines():
        f = line.split()
        if len(f) == 8 and f[7].startswith(".L"):
            syms[f[7]] = int(f[1], 16)
    table = {}
    for line in run(CROSS + "objdump", "-r", "-j", ".rodata", obj).splitlines():
        f = line.split()
        if len(f) == 3 and f[1] == "R_RISCV_ADD32":
            table[int(f[0], 16) // 4] = syms[f[2]]
    return table


def incr_fw_paths(obj):
    insns = disassemble(obj, "kvm_riscv_vcpu_pmu_incr_fw")
    if not insns:
        return None
    found = {}

    def walk(i, n, store, einval, seen):
        if i in seen or n > 200:
            return
        mnem, ops = insns[i][1], insns[i][2]
        store = store or (mnem in ("sd", "sw") and "(sp)" not in ops)
        einval = einval or (mnem == "li" and ops.endswith(",-22"))
        if mnem == "ret":
            if not einval:
                key = "started" if store else "not_started"
                found[key] = min(found.get(key, n), n)
            return
        for j in successors(insns, i):
            walk(j, n + 1, store, einval, seen | {i})

    walk(0, 1, False, False, frozenset())
    return found


def main():
    out = sys.argv[1]
    exit_o = out + "/arch/riscv/kvm/vcpu_exit.o"
    insns = disassemble(exit_o, "kvm_riscv_vcpu_exit")
    table = jump_table(exit_o)
    for cause, name in sorted(CAUSES.items(), key=lambda c: c[1]):
        n = shortest_to_call(insns, table[cause], "kvm_riscv_vcpu_trap_redirect") if cause in table else None
        print(f"static {name} {n if n is not None else 'none'}")
    paths = incr_fw_paths(out + "/arch/riscv/kvm/vcpu_pmu.o")
    for key in ("not_started", "started"):
        print(f"incr_fw {key} {paths.get(key, 'none') if paths else 'none'}")


if __name__ == "__main__":
    main()
