"""The soak's verdict once the load has stopped: what must be true of every wsgate afterwards.

Why it exists: these are the checks the soak is for, kept apart from how the load is made.
After a bounded wait for the last connections and programs to end, each wsgate must have
exactly its start-up descriptors, no child (a zombie is a missed waitpid, a live one a missed
kill), resident memory at most 10 % over its warm level, a log without unexpected errors and
with a DISCONNECT for every CONNECT, and exit 0 on SIGTERM; and no process any of them started
may be left anywhere below the driver (a grandchild that escaped the kill sequence is
re-parented to the driver, its subreaper).
"""
import os
import signal
import time

import procfs
from logcheck import check_log

RSS_TOLERANCE = 1.10  # end RSS at most warm RSS + 10 %


class Verdict:
    """The reasons the run failed; empty means it passed.

    Reasons of one `kind` (a hundred orphans, say) are counted and shown by their first
    examples, so that one broken behaviour cannot hide the others in the report.
    """

    EXAMPLES = 3

    def __init__(self):
        self.reasons = []
        self.grouped = {}

    def fail(self, reason, kind=None):
        if kind is None:
            self.reasons.append(reason)
            return
        if kind not in self.grouped:
            self.reasons.append(kind)
            self.grouped[kind] = []
        self.grouped[kind].append(reason)

    def lines(self):
        for reason in self.reasons:
            examples = self.grouped.get(reason)
            if examples is None:
                yield reason
                continue
            yield f"{reason}: {len(examples)}"
            for example in examples[: self.EXAMPLES]:
                yield f"    {example}"
            if len(examples) > self.EXAMPLES:
                yield f"    ... and {len(examples) - self.EXAMPLES} more"


def settle(instances, fds_of, deadline):
    """Polls until every instance is back to its start-up fds with no child; False at the deadline."""
    while time.monotonic() < deadline:
        table = procfs.process_table()
        if all(fds_of(instance) == instance.start_fds and not procfs.children(table, instance.pid)
               for instance in instances):
            return True
        time.sleep(0.1)
    return False


def check_instance(instance, table, fds_of, verdict):
    """Descriptors, memory and children of one settled instance (recorded on it for the summary)."""
    instance.end_fds = fds_of(instance)
    instance.end_rss = instance.rss()
    instance.children = procfs.children(table, instance.pid)
    if instance.end_fds != instance.start_fds:
        verdict.fail(f"{instance.name}: {instance.end_fds} descriptors open, {instance.start_fds} at start-up")
    if instance.warm_rss is None:
        verdict.fail(f"{instance.name}: no warm RSS was recorded")
    elif instance.end_rss > instance.warm_rss * RSS_TOLERANCE:
        verdict.fail(f"{instance.name}: RSS {instance.end_rss} kB > warm {instance.warm_rss} kB + 10 %")
    for child in instance.children:
        kind = "zombie" if child.state == "Z" else "child still running"
        verdict.fail(str(child), kind=f"{instance.name}: {kind} after the load")


def orphans(table, instances):
    """Live processes below the driver that are neither an instance nor below one: escaped programs.

    A zombie there is not counted: it is dead (wsgate's kill reached it) and the reaper takes it.
    """
    own = {instance.pid for instance in instances}
    below = set()
    for instance in instances:
        below.update(proc.pid for proc in procfs.descendants(table, instance.pid))
    return [proc for proc in procfs.descendants(table, os.getpid())
            if proc.pid not in own and proc.pid not in below and proc.state != "Z"]


def alive_below_driver(table, pids):
    """Those of pids still alive below the driver (pids are reused: only our own tree counts)."""
    ours = {proc.pid for proc in procfs.descendants(table, os.getpid()) if proc.state != "Z"}
    return [pid for pid in pids if pid in ours]


def check_logs(instances, verdict):
    """A LogReport per instance name; unexpected lines and unpaired sessions fail the run."""
    reports = {}
    for instance in instances:
        report = check_log(instance.log_path, instance.stderr_path, instance.allowed_errors)
        reports[instance.name] = report
        if report.unexpected:
            verdict.fail(f"{instance.name}: {len(report.unexpected)} unexpected log line(s)")
        if report.connects != report.disconnects:
            verdict.fail(f"{instance.name}: {report.connects} CONNECT but {report.disconnects} DISCONNECT lines")
    return reports


def check_stop(instances, deadline, verdict, already_dead):
    """SIGTERM to each instance: it must exit 0 by the deadline."""
    for instance in instances:
        status = instance.stop(deadline)
        if status != 0 and instance.name not in already_dead:
            verdict.fail(f"{instance.name}: exit status {status} after SIGTERM, expected 0")


def check_nothing_left(verdict):
    """After every wsgate exited nothing may remain below the driver; what does is killed."""
    left = [proc for proc in procfs.descendants(procfs.process_table(), os.getpid())]
    for proc in left:
        verdict.fail(str(proc), kind="left after every wsgate exited")
        try:
            os.kill(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return left
