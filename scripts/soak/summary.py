"""The soak's closing report: connections per scenario and kind, then the figures per instance.

Why it exists: a soak that fails after an hour must say at once what failed and by how much
(which scenario, which instance, descriptors start/end, RSS warm/end against its limit, the
unexpected log lines), and one that passes must show the numbers it passed with.
"""
import time

from checks import RSS_TOLERANCE


def print_summary(soak):
    print_connections(soak)
    print_side_figures(soak)
    print_instances(soak)
    print(f"duration: {time.monotonic() - soak.began:.0f} s")


def print_connections(soak):
    tally = soak.load.tally
    print(f"\nsoak: {soak.load_seconds:.0f} s of load at {soak.options.rate:g} connections/s "
          f"(seed {soak.options.seed}), at most {soak.options.workers} in flight, warm-up {soak.warm_up_seconds:.0f} s")
    print(f"{'kind/scenario':34} {'started':>8} {'passed':>8} {'failed':>7}  fault")
    for scenario in soak.load.scenarios:
        label = scenario.label
        print(f"  {label:32} {tally.started.get(label, 0):8} {tally.passed.get(label, 0):8} "
              f"{tally.failed.get(label, 0):7}  {'injected' if scenario.injected else ''}")
    kinds = {}
    for label, count in tally.started.items():
        kind = label.split("/")[0]
        kinds[kind] = kinds.get(kind, 0) + count
    print("  per kind: " + ", ".join(f"{kind} {kinds[kind]}" for kind in sorted(kinds))
          + f"; total {sum(tally.started.values())}, failed {tally.total_failures()}, "
          f"ticks skipped (workers or caps busy) {tally.skipped}")
    for label, reasons in tally.reasons.items():
        for reason in reasons:
            print(f"  FAILED {label}: {reason}")


def print_side_figures(soak):
    floods = soak.floods
    sizes = floods.flood_sizes
    print(f"emfile: {floods.rounds} flood rounds, {floods.passed} recovered"
          + (f"; 'Cannot accept' after {min(sizes)}-{max(sizes)} connections" if sizes else ""))
    for failure in floods.failures[:10]:
        print(f"  FAILED emfile {failure}")
    counts = soak.backend.counts
    print(f"tcp backend: {counts['connections']} connections, {counts['resets']} reset by it, "
          f"{counts['byes']} closed by it, {counts['active']} still open")
    print(f"grandchildren (sleep 1000) started: {len(soak.notes.grandchildren)}, alive after the load: "
          f"{soak.grandchildren_alive}; orphans: {soak.orphan_count}; left after exit: {len(soak.final_leftovers)}; "
          f"re-parented to the driver when their program ended, then killed by wsgate and reaped: {soak.reaper.reaped}")
    print(f"settled (start-up fds, no child) within the bound: {'yes' if soak.settled else 'NO'}")


def print_instances(soak):
    print(f"{'instance':8} {'fds start/end':>14} {'RSS warm/end kB':>18} {'limit kB':>9} "
          f"{'children':>8} {'log lines':>9} {'ERR ok':>6} {'unexp':>5} {'sessions':>9} {'exit':>5}")
    for instance in soak.instances:
        print_instance(instance, soak.log_reports.get(instance.name))
    print(f"(limit = warm RSS + 10 %; sessions = CONNECT/DISCONNECT lines; ERR ok = expected ERROR lines)")
    for instance in soak.instances:
        report = soak.log_reports.get(instance.name)
        for line in (report.unexpected[:20] if report else []):
            print(f"  UNEXPECTED {instance.name}: {line}")


def print_instance(instance, report):
    limit = int(instance.warm_rss * RSS_TOLERANCE) if instance.warm_rss else "-"
    sessions = f"{report.connects}/{report.disconnects}" if report else "-"
    print(f"{instance.name:8} {instance.start_fds!s:>6}/{instance.end_fds!s:<7} "
          f"{instance.warm_rss!s:>8}/{instance.end_rss!s:<9} {limit!s:>9} "
          f"{len(instance.children):>8} {report.lines if report else '-':>9} "
          f"{report.allowed if report else '-':>6} {len(report.unexpected) if report else '-':>5} "
          f"{sessions:>9} {instance.exit_status!s:>5}")
