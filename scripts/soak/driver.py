#!/usr/bin/env python3
"""The soak and fault-injection run of wsgate (scripts/soak.sh runs it; see CONTRIBUTING.md).

Why it exists: unit and integration tests check one behaviour once; leaks (descriptors,
children, memory) only show after thousands of connections, and faults interact (a crash while
another client stops reading while the descriptor table is full). For MINUTES this driver opens
and closes connections at a steady rate against one wsgate per backend kind (a program in
line and in byte mode, --echo, --tcp to a backend that sometimes resets, and --dir with
programs that crash, exit early, ignore SIGTERM, fork or flood), with clients that vanish
mid-frame, stop reading or never send a close frame; every few seconds a wsgate with a
64-descriptor limit is flooded until accept fails, and must recover. Afterwards each wsgate
must be back to its start-up descriptor count exactly, have no child (no zombie), nothing it
started may survive (the driver is a child subreaper, so escaped grandchildren come back to
it), its resident memory must be within 10 % of its level after the warm-up, its log must have
no ERROR or FATAL line beyond the expected ones, and it must exit 0 on SIGTERM.
Only the standard library; loopback only; every wait has a deadline, and the run ends within
MINUTES plus one minute.
"""
import argparse
import os
import random
import signal
import stat
import sys
import threading
import time

import checks
import procfs
from backend import EchoBackend
from checks import Verdict
from emfile import FloodRounds
from instances import Instance, gateway_argv
from load import Load
from reaper import OrphanReaper
from scenarios import FAULT_PROGRAMS, Notes, all_scenarios
from summary import print_summary

WARM_UP_FRACTION, WARM_UP_CEILING = 0.2, 30.0
CONNECTION_SECONDS = 10.0       # deadline of one client connection
SETTLE_SECONDS = 15.0           # after the load: connections and programs must be gone by then
STOP_SECONDS = 10.0             # SIGTERM to exit
# After the load: draining (CONNECTION_SECONDS + 2), settling, checks and stopping fit in this.
AFTER_LOAD_SECONDS = 55.0
# Faults instance: --closems=0 (the shortest the flag takes) keeps websocketd's kill sequence
# at its quickest (SIGINT after 100 ms, SIGTERM after 250 more, SIGKILL after 500 more), so a
# program that ignores SIGTERM is gone 850 ms after its client, and they do not pile up.
FAULTS_CLOSEMS = 0
# What the faults are expected to log at ERROR: the `signals` program's notices on stderr
# (logged as `ERROR | stderr`), and on the flooded instance the listener's EMFILE line.
SIGNALS_NOTICES = [r"stderr \| (got SIGINT|got SIGTERM|got SIGHUP|stdin closed)"]
EMFILE_NOTICES = [r"server \| Cannot accept on 127\.0\.0\.1:\d+: .*Too many open files.*; pausing accepts for \d+ ms"]


def parse_arguments():
    parser = argparse.ArgumentParser(description="Soak and fault-injection run of wsgate.")
    parser.add_argument("minutes", type=float, help="length of the run (load plus checks end within MINUTES + 1 min)")
    parser.add_argument("--bin-dir", required=True, help="directory with wsgate and wsgate-testcmd")
    parser.add_argument("--out", required=True, help="directory for logs and fault scripts")
    parser.add_argument("--rate", type=float, default=30.0, help="connections started per second (default 30)")
    parser.add_argument("--workers", type=int, default=48, help="most connections in flight (default 48)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: from the clock; printed)")
    parser.add_argument("--emfile-every", type=float, default=20.0, help="seconds between descriptor floods")
    parser.add_argument("--emfile-nofile", type=int, default=64, help="descriptor limit of the flooded wsgate")
    parser.add_argument("--pretend-leak", action="store_true",
                        help="self-test: count one descriptor more than there is, so the run must fail")
    return parser.parse_args()


def write_fault_scripts(directory, testcmd):
    """One executable script per fault program, served by the `faults` instance's --dir."""
    os.makedirs(directory, exist_ok=True)
    for name, arguments in FAULT_PROGRAMS.items():
        path = os.path.join(directory, name)
        with open(path, "w") as script:
            script.write(f"#!/bin/sh\nexec {testcmd} {' '.join(arguments)}\n")
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def make_instances(options, tcp_port):
    wsgate = os.path.join(options.bin_dir, "wsgate")
    testcmd = os.path.join(options.bin_dir, "wsgate-testcmd")
    scripts = os.path.join(options.out, "programs")
    write_fault_scripts(scripts, testcmd)
    out = options.out
    return [
        Instance("line", gateway_argv(wsgate, [], [testcmd, "echo"]), out),
        Instance("binary", gateway_argv(wsgate, ["--binary"], [testcmd, "cat"]), out),
        Instance("echo", gateway_argv(wsgate, ["--echo"]), out),
        Instance("tcp", gateway_argv(wsgate, [f"--tcp=127.0.0.1:{tcp_port}"]), out),
        Instance("faults", gateway_argv(wsgate, [f"--closems={FAULTS_CLOSEMS}", f"--dir={scripts}"]), out,
                 allowed_errors=SIGNALS_NOTICES),
        Instance("emfile", gateway_argv(wsgate, ["--echo", "--threads=1"]), out,
                 allowed_errors=EMFILE_NOTICES, nofile=options.emfile_nofile),
    ]


class Soak:
    """The run's phases, in order: start, load, settle, checks, stop, summary."""

    def __init__(self, options):
        self.options = options
        self.began = time.monotonic()
        self.load_end = self.began + options.minutes * 60
        self.hard_end = self.load_end + AFTER_LOAD_SECONDS
        self.verdict = Verdict()
        self.notes = Notes()
        self.backend = EchoBackend()
        self.instances = make_instances(options, self.backend.port)
        self.by_kind = {instance.name: instance for instance in self.instances}
        self.reaper = None
        self.floods = None
        self.load = None
        self.died = []
        self.settled = False
        self.log_reports = {}
        self.orphan_count = self.grandchildren_alive = "?"
        self.final_leftovers = []

    def start(self):
        for instance in self.instances:  # before any thread exists: the limit is set in a preexec hook
            instance.start()
        for instance in self.instances:
            instance.wait_until_serving(time.monotonic() + 10)
        self.backend.start()
        self.reaper = OrphanReaper(instance.pid for instance in self.instances)
        self.reaper.start()
        self.floods = FloodRounds(self.by_kind["emfile"])

    def run_load(self):
        started = time.monotonic()
        self.warm_up_seconds = min(WARM_UP_FRACTION * (self.load_end - started), WARM_UP_CEILING)
        warm_at = started + self.warm_up_seconds
        ports = {instance.name: instance.port for instance in self.instances}
        self.load = Load(all_scenarios(), ports, self.notes, self.options.rate, self.options.workers,
                         self.options.seed, CONNECTION_SECONDS)
        flooder = threading.Thread(target=self.flood_rounds, name="emfile", daemon=True)
        flooder.start()
        state = {"warm": False, "checked": 0.0}

        def on_tick(now):
            if not state["warm"] and now >= warm_at:
                state["warm"] = True
                for instance in self.instances:
                    instance.warm_rss = instance.rss()
            if now - state["checked"] >= 1.0:
                state["checked"] = now
                self.check_alive()
            return not self.died  # a dead wsgate ends the load: the verdict is already known

        self.load.run_until(self.load_end, on_tick)
        self.load_seconds = time.monotonic() - started
        drained = self.load.drain(time.monotonic() + CONNECTION_SECONDS + 2)
        flooder.join(timeout=max(0.1, min(25.0, self.hard_end - time.monotonic())))
        if not drained:
            self.verdict.fail("client connections still running past their deadline (driver stuck)")

    def flood_rounds(self):
        """EMFILE rounds every --emfile-every seconds while the load runs (the first during warm-up)."""
        next_round = time.monotonic() + 2
        while time.monotonic() + self.floods.round_seconds < self.load_end and not self.died:
            if time.monotonic() >= next_round:
                self.floods.run_round()
                next_round = time.monotonic() + self.options.emfile_every
            time.sleep(0.1)

    def check_alive(self):
        for instance in self.instances:
            if instance.process.poll() is not None and instance.name not in self.died:
                self.died.append(instance.name)
                self.verdict.fail(f"{instance.name}: wsgate died during the load (status {instance.process.returncode})")

    def measured_fds(self, instance):
        return instance.fds() + (1 if self.options.pretend_leak else 0)

    def live_instances(self):
        return [instance for instance in self.instances if instance.process.poll() is None]

    def check_after_load(self):
        deadline = min(time.monotonic() + SETTLE_SECONDS, self.hard_end - STOP_SECONDS - 5)
        self.settled = checks.settle(self.live_instances(), self.measured_fds, deadline)
        self.reaper.reap()
        table = procfs.process_table()
        for instance in self.live_instances():
            checks.check_instance(instance, table, self.measured_fds, self.verdict)
        orphans = checks.orphans(table, self.instances)
        for orphan in orphans:
            self.verdict.fail(str(orphan), kind="orphans re-parented to the driver (escaped the kill sequence)")
        self.orphan_count = len(orphans)
        alive = checks.alive_below_driver(table, self.notes.grandchildren)
        for pid in alive:
            self.verdict.fail(str(table[pid]), kind="grandchildren (sleep 1000) that outlived their connection")
        self.grandchildren_alive = len(alive)
        self.log_reports = checks.check_logs(self.instances, self.verdict)
        self.check_clients()

    def check_clients(self):
        tally = self.load.tally
        if tally.total_failures():
            self.verdict.fail(f"{tally.total_failures()} client failure(s)")
        for failure in self.floods.failures:
            self.verdict.fail(failure, kind="emfile: flood rounds that failed")
        if self.floods.passed == 0:
            self.verdict.fail("emfile: no flood round passed")

    def stop(self):
        checks.check_stop(self.instances, min(time.monotonic() + STOP_SECONDS, self.hard_end - 3),
                          self.verdict, self.died)
        self.backend.stop()
        self.reaper.stop()
        self.final_leftovers = checks.check_nothing_left(self.verdict)
        reap_all()

    def run(self):
        self.start()
        print("soak: instances on 127.0.0.1: "
              + ", ".join(f"{i.name}:{i.port} (pid {i.pid}, {i.start_fds} fds)" for i in self.instances), flush=True)
        self.run_load()
        self.check_after_load()
        self.stop()
        print_summary(self)
        if self.verdict.reasons:
            print("\nsoak: FAILED")
            for line in self.verdict.lines():
                print(f"  {line}" if line.startswith(" ") else f"  - {line}")
            return 1
        print("\nsoak: PASSED (fds back to start-up, no zombie or orphan, RSS within 10 % of warm, "
              "no unexpected log line, every client check passed, every wsgate exited 0)")
        return 0


def reap_all():
    """Reaps any child left to us as a subreaper, so we leave no zombie either."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def main():
    options = parse_arguments()
    if options.seed is None:
        options.seed = random.SystemRandom().randrange(1, 1 << 31)
    os.makedirs(options.out, exist_ok=True)
    procfs.become_subreaper()
    signal.signal(signal.SIGTERM, interrupted)  # timeout(1) or a CI cancel: clean up, do not orphan
    soak = Soak(options)
    try:
        return soak.run()
    finally:
        stop_quickly(soak.instances)


def interrupted(signal_number, frame):
    raise SystemExit(f"soak: interrupted by signal {signal_number}")


def stop_quickly(instances):
    """On the way out after an error: SIGTERM lets each wsgate end its programs; SIGKILL if it hangs."""
    for instance in instances:
        if instance.process is not None and instance.process.poll() is None:
            instance.stop(time.monotonic() + 3)
    reap_all()


if __name__ == "__main__":
    sys.exit(main())
