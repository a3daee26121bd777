"""The soak's load: connections started at a steady rate, a bounded number in flight.

Why it exists: a soak finds leaks by repetition, so the rate must stay steady for the whole
run rather than burst and stall, and it must never outgrow the machine (2 cores, shared). A
pacer starts one connection per tick, choosing its scenario by weight; a fixed pool of worker
threads runs them; when every worker is busy the tick is skipped and counted (the rate is a
ceiling, never a queue). A scenario at its own cap of connections in flight is not chosen for
that tick (another is). Each connection has its own deadline and its own seeded random
generator, so a failure names a scenario and a seed.
"""
import random
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor

from wsclient import Failure, abort_opened


class Tally:
    """Per scenario: started, passed, failed, and the first reasons of failure."""

    KEPT_REASONS = 5

    def __init__(self):
        self.lock = threading.Lock()
        self.started, self.passed, self.failed = {}, {}, {}
        self.reasons = {}
        self.skipped = 0

    def count(self, table, label):
        with self.lock:
            table[label] = table.get(label, 0) + 1

    def failure(self, label, reason):
        with self.lock:
            self.failed[label] = self.failed.get(label, 0) + 1
            kept = self.reasons.setdefault(label, [])
            if len(kept) < self.KEPT_REASONS:
                kept.append(reason)

    def skip(self):
        with self.lock:
            self.skipped += 1

    def total_failures(self):
        with self.lock:
            return sum(self.failed.values())


class Load:
    """Runs scenarios against instances (`ports` by kind) at `rate` per second until `end`."""

    def __init__(self, scenarios, ports, notes, rate, workers, seed, connection_seconds):
        self.scenarios = scenarios
        self.weights = [scenario.weight for scenario in scenarios]
        self.ports = ports
        self.notes = notes
        self.rate = rate
        self.workers = workers
        self.seed = seed
        self.connection_seconds = connection_seconds
        self.tally = Tally()
        self.slots = threading.BoundedSemaphore(workers)
        self.capped = {scenario.label: threading.BoundedSemaphore(scenario.most_in_flight)
                       for scenario in scenarios if scenario.most_in_flight}
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="client")
        self.chooser = random.Random(seed)
        self.serial = 0

    def run_until(self, end, on_tick=None):
        """Paces connections until `end` (time.monotonic()); on_tick(now) runs between ticks and
        ends the load early by returning False."""
        interval = 1.0 / self.rate
        next_tick = time.monotonic()
        while True:
            now = time.monotonic()
            if now >= end:
                return
            if on_tick is not None and not on_tick(now):
                return
            if now < next_tick:
                time.sleep(min(next_tick - now, end - now))
                continue
            next_tick += interval
            if next_tick < now - 1.0:
                next_tick = now  # we fell behind (a slow tick): do not burst to catch up
            self.start_one()

    def start_one(self):
        if not self.slots.acquire(blocking=False):
            self.tally.skip()
            return
        scenario = self.choose()
        if scenario is None:
            self.slots.release()
            self.tally.skip()
            return
        self.serial += 1
        self.tally.count(self.tally.started, scenario.label)
        self.pool.submit(self.run_one, scenario, self.seed * 1_000_003 + self.serial)

    def choose(self):
        """A scenario by weight, not one at its cap (its slot is taken here, released by run_one);
        None, rarely, when every draw hit a cap."""
        for _ in range(20):
            scenario = self.chooser.choices(self.scenarios, weights=self.weights)[0]
            cap = self.capped.get(scenario.label)
            if cap is None or cap.acquire(blocking=False):
                return scenario
        return None

    def run_one(self, scenario, seed):
        try:
            deadline = time.monotonic() + self.connection_seconds
            scenario.run(self.ports[scenario.kind], scenario.path, deadline, random.Random(seed), self.notes)
            self.tally.count(self.tally.passed, scenario.label)
        except Failure as failure:
            self.tally.failure(scenario.label, f"{failure} (seed {seed})")
        except OSError as error:
            self.tally.failure(scenario.label, f"{error} (seed {seed})")
        except Exception:  # a bug in the driver: report it as a failure, never hide it
            self.tally.failure(scenario.label, f"driver error (seed {seed}): {traceback.format_exc(limit=3)}")
        finally:
            abort_opened()
            if scenario.label in self.capped:
                self.capped[scenario.label].release()
            self.slots.release()

    def drain(self, deadline):
        """Waits for the connections in flight (each ends by its own deadline); True if all ended."""
        acquired = 0
        while acquired < self.workers and time.monotonic() < deadline:
            if self.slots.acquire(timeout=max(0.01, min(0.5, deadline - time.monotonic()))):
                acquired += 1
        for _ in range(acquired):
            self.slots.release()
        self.pool.shutdown(wait=acquired == self.workers)
        return acquired == self.workers
