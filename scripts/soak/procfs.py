"""What the soak reads about processes from /proc: descriptors, resident memory, the process tree.

Why it exists: the soak's verdict is about the kernel's view of wsgate (open descriptors,
VmRSS, children left as zombies, programs or grandchildren that outlived their connection),
not about what wsgate says of itself. The driver makes itself a child subreaper, so anything
that escapes wsgate's kill sequence is re-parented to the driver and shows up in its tree.
"""
import ctypes
import os

PR_SET_CHILD_SUBREAPER = 36


def become_subreaper():
    """Orphans of our descendants are re-parented to us instead of init, so none is missed."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


def fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


class Proc:
    """One process as /proc/PID/stat and cmdline describe it."""

    def __init__(self, pid, state, ppid, pgrp, command):
        self.pid, self.state, self.ppid, self.pgrp, self.command = pid, state, ppid, pgrp, command

    def __repr__(self):
        return f"pid {self.pid} ({self.state}, ppid {self.ppid}, pgrp {self.pgrp}) {self.command}"


def read_proc(pid):
    """The process, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            text = stat.read()
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            command = cmdline.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except (FileNotFoundError, ProcessLookupError):
        return None
    name_end = text.rindex(")")
    fields = text[name_end + 2 :].split()
    return Proc(pid, fields[0], int(fields[1]), int(fields[2]), command or text[text.index("(") : name_end + 1])


def process_table():
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            proc = read_proc(int(entry))
            if proc is not None:
                table[proc.pid] = proc
    return table


def descendants(table, root):
    """Every process below root (children, their children…), in the given table."""
    children = {}
    for proc in table.values():
        children.setdefault(proc.ppid, []).append(proc)
    found, stack = [], [root]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child.pid)
    return found


def children(table, parent):
    return [proc for proc in table.values() if proc.ppid == parent]
