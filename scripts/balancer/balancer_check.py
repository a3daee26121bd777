#!/usr/bin/python3
"""Two wsgate instances behind a real HAProxy or nginx, with examples/deployment's files as they
are: client addresses, spreading, an untrusted peer's forged headers, and a rolling restart
under load. Run by scripts/balancer-check.sh, which documents the checks and the options."""

import argparse
import asyncio
import collections
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time

import websockets

BALANCER_PORT = 8080
INSTANCE_PORTS = {"a": 8081, "b": 8082}
CLIENT = "127.0.0.2"     # the client, through the balancer
SPOOFER = "127.0.0.3"    # an untrusted peer, straight to an instance
MAX_ATTEMPTS = 200_000   # bounds the short-connection loop whatever the rate


class CheckFailed(Exception):
    pass


def say(message):
    print(f"balancer-check: {message}", flush=True)


class Instance:
    """One wsgate process on its fixed port; each start gets its own log file."""

    def __init__(self, name, args):
        self.name = name
        self.port = INSTANCE_PORTS[name]
        self.args = args
        self.generation = 0
        self.process = None
        self.log_path = None

    def start(self):
        self.generation += 1
        self.log_path = os.path.join(self.args.logs, f"wsgate-{self.name}-{self.generation}.log")
        config = os.path.join(self.args.root, "examples", "deployment", f"wsgate-behind-{self.args.engine}.conf")
        program = os.path.join(self.args.root, "scripts", "balancer", "whoami-echo.sh")
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [self.args.wsgate, f"--config={config}", f"--port={self.port}", program, self.name],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as log:
            return log.read()

    async def wait_healthy(self, seconds):
        """Until --health answers 200 (asked from the untrusted address, which needs no header)."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if self.process.poll() is not None:
                raise CheckFailed(f"wsgate {self.name} exited with {self.process.returncode}: {self.log()[-500:]}")
            if await health_status(self.port) == 200:
                return
            await asyncio.sleep(0.05)
        raise CheckFailed(f"wsgate {self.name} not healthy after {seconds} s")

    async def stop_and_wait(self, seconds):
        """SIGTERM, then the exit status."""
        self.process.send_signal(signal.SIGTERM)
        end = time.monotonic() + seconds
        while self.process.poll() is None:
            if time.monotonic() > end:
                raise CheckFailed(f"wsgate {self.name} still running {seconds} s after SIGTERM")
            await asyncio.sleep(0.05)
        return self.process.returncode

    def kill(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


async def raw_exchange(port, data, source):
    """Sends `data` from `source` to 127.0.0.1:port and returns what comes back until EOF."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
    try:
        writer.write(data)
        await writer.drain()
        return await asyncio.wait_for(reader.read(), 10)
    finally:
        writer.close()


async def health_status(port):
    try:
        answer = await raw_exchange(port, b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                                    SPOOFER)
    except OSError:
        return None
    parts = answer.split(b" ", 2)
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


def connect(port, source, headers=None):
    return websockets.connect(f"ws://127.0.0.1:{port}/", local_addr=(source, 0), extra_headers=headers or {},
                              open_timeout=10, close_timeout=5, ping_interval=None, compression=None)


async def whoami(ws):
    """The program's first message: REMOTE_ADDR, REMOTE_PORT and the instance."""
    first = await asyncio.wait_for(ws.recv(), 10)
    fields = first.split(" ")  # REMOTE_PORT is empty behind X-Forwarded-For
    if len(fields) != 3:
        raise CheckFailed(f"unexpected first message {first!r}")
    return fields


def start_balancer(args):
    deployment = os.path.join(args.root, "examples", "deployment")
    log = open(os.path.join(args.logs, f"{args.engine}.log"), "wb")
    if args.engine == "haproxy":
        command = [args.haproxy, "-db", "-f", os.path.join(deployment, "haproxy.cfg")]
    else:
        # A minimal main configuration around the site file, which is included unchanged.
        main = os.path.join(args.tmp, "nginx-main.conf")
        with open(main, "w") as conf:
            conf.write(f"""daemon off;
worker_processes 1;
pid {args.tmp}/nginx.pid;
error_log {args.logs}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {args.tmp}/body;
    proxy_temp_path {args.tmp}/proxy;
    include {os.path.join(deployment, "nginx.conf")};
}}
""")
        command = [args.nginx, "-p", args.tmp, "-e", os.path.join(args.logs, "nginx-error.log"), "-c", main]
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True)


def balancer_log_kinds(args, most=8):
    """The balancer's error lines grouped by message, most frequent first: why it failed."""
    path = os.path.join(args.logs, "nginx-error.log" if args.engine == "nginx" else f"{args.engine}.log")
    kinds = collections.Counter()
    try:
        with open(path, encoding="utf-8", errors="replace") as log:
            for line in log:
                # nginx: "DATE [level] PID#TID: *CONN message, client: ..."; HAProxy: one event a line
                message = re.sub(r"^.*?\] \d+#\d+: (\*\d+ )?", "", line).split(", client:")[0]
                kinds[re.sub(r"\d+", "N", message.strip())[:160]] += 1
    except OSError:
        return []
    return [(count, kind) for kind, count in kinds.most_common(most)]


def port_free(port):
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


async def address_checks(args, instances):
    """Before the load: the client's own address, spreading, and an untrusted peer's forgeries."""
    # Ten sessions held open at once: leastconn must put them on both instances.
    sockets = []
    seen = collections.Counter()
    try:
        for _ in range(10):
            ws = await connect(BALANCER_PORT, CLIENT, {"X-Forwarded-For": "1.2.3.4"}).__aenter__()
            sockets.append(ws)
            address, _, instance = await whoami(ws)
            if address != CLIENT:
                raise CheckFailed(f"through {args.engine}, REMOTE_ADDR was {address}, not the client's {CLIENT} "
                                  "(the client also sent X-Forwarded-For: 1.2.3.4)")
            seen[instance] += 1
    finally:
        for ws in sockets:
            await ws.close()
    if set(seen) != {"a", "b"}:
        raise CheckFailed(f"ten open sessions all went to one instance: {dict(seen)}")
    say(f"through {args.engine}: REMOTE_ADDR={CLIENT} in 10 sessions (a forged X-Forwarded-For ignored), "
        f"spread a:{seen['a']} b:{seen['b']}")

    # An untrusted peer straight to an instance: its X-Forwarded-For is ignored...
    a = instances["a"]
    async with connect(a.port, SPOOFER, {"X-Forwarded-For": "1.2.3.4", "Forwarded": "for=1.2.3.4"}) as ws:
        address, _, _ = await whoami(ws)
    if address != SPOOFER:
        raise CheckFailed(f"an untrusted peer's X-Forwarded-For was believed: REMOTE_ADDR={address}")
    # ...and its PROXY header is refused with a 400 naming its real address in the log.
    answer = await raw_exchange(a.port, b"PROXY TCP4 1.2.3.4 127.0.0.1 1111 8081\r\n"
                                b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", SPOOFER)
    if not answer.startswith(b"HTTP/1.1 400"):
        raise CheckFailed(f"an untrusted peer's PROXY header got {answer[:40]!r}, not a 400")
    # The log is written by its own thread: the line may follow the answer.
    def logged():
        return [line for line in a.log().splitlines() if SPOOFER in line and "PROXY" in line]
    await wait_for(logged, 10, f"a log line of wsgate a naming {SPOOFER} and its PROXY header")
    lines = logged()
    say(f"untrusted {SPOOFER}: X-Forwarded-For ignored (REMOTE_ADDR={address}); PROXY header answered 400 "
        f"and logged: {lines[-1].strip()}")


class Load:
    """Tallies of the load through the balancer."""

    def __init__(self):
        self.attempts = 0
        self.completed = 0
        self.failures = []
        self.served = collections.Counter()
        self.last_served = {}
        self.drained_short = 0
        self.long_closes = collections.Counter()
        self.long_open = collections.Counter()
        # When the load stops (monotonic seconds): the deadline, moved on by a late restart.
        self.end = 0.0

    def fail(self, reason):
        self.failures.append(reason)


async def short_sessions(load):
    """Opens, uses and closes sessions one after the other until `load.end`."""
    number = 0
    while time.monotonic() < load.end and load.attempts < MAX_ATTEMPTS:
        load.attempts += 1
        number += 1
        ws = None
        try:
            async with connect(BALANCER_PORT, CLIENT) as ws:
                address, _, instance = await whoami(ws)
                if address != CLIENT:
                    load.fail(f"REMOTE_ADDR {address}")
                    continue
                load.served[instance] += 1
                load.last_served[instance] = time.monotonic()
                message = f"ping {number}"
                await ws.send(message)
                echo = await asyncio.wait_for(ws.recv(), 10)
                if echo != message:
                    load.fail(f"echo {echo!r} for {message!r}")
                    continue
            load.completed += 1
        except websockets.ConnectionClosed:
            # The session was open, and the instance it was on began its drain.
            if ws is not None and ws.close_code == 1001:
                load.drained_short += 1
            else:
                load.fail(f"session closed with {ws.close_code if ws else None}")
        except Exception as error:  # every other way an attempt can fail
            load.fail(f"{type(error).__name__}: {error}")


async def long_sessions(load):
    """Holds a session open until the server ends it (a drain), then opens the next."""
    while time.monotonic() < load.end - 1:
        try:
            ws = await connect(BALANCER_PORT, CLIENT).__aenter__()
        except Exception as error:
            load.fail(f"long session: {type(error).__name__}: {error}")
            continue
        instance = None
        try:
            address, _, instance = await whoami(ws)
            if address != CLIENT:
                load.fail(f"long session: REMOTE_ADDR {address}")
            load.long_open[instance] += 1
            try:
                await asyncio.wait_for(ws.wait_closed(), max(load.end - time.monotonic(), 0.1))
            except asyncio.TimeoutError:
                await ws.close()
                continue  # the end may have moved (a late restart): the loop decides
            load.long_closes[ws.close_code] += 1
            if ws.close_code != 1001:
                load.fail(f"long session on {instance} ended with {ws.close_code}")
        except websockets.ConnectionClosed:
            load.long_closes[ws.close_code] += 1
            if ws.close_code != 1001:
                load.fail(f"long session ended with {ws.close_code} before its first message")
        except Exception as error:
            load.fail(f"long session: {type(error).__name__}: {error}")
        finally:
            if instance:
                load.long_open[instance] -= 1


async def wait_for(condition, seconds, what):
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            raise CheckFailed(f"{what} not seen within {seconds} s")
        await asyncio.sleep(0.05)


async def rolling_restarts(args, instances, load, deadline):
    """Each instance in turn: SIGTERM, its exit, a new start, and its return into rotation."""
    restarts = []
    await wait_for(lambda: load.served["a"] > 0 and load.served["b"] > 0, 10, "load on both instances")
    names = ["a", "b"]
    while time.monotonic() < deadline - args.restart_budget:
        name = names[len(restarts) % 2]
        instance = instances[name]
        # Some long sessions on it, so their close codes are seen.
        try:
            await wait_for(lambda: load.long_open[name] > 0, 5, f"a long session on {name}")
        except CheckFailed:
            pass
        began = time.monotonic()
        status = await instance.stop_and_wait(30)
        stopped = time.monotonic()
        if status != 0:
            raise CheckFailed(f"wsgate {name} exited with {status} after SIGTERM")
        instance.start()
        await instance.wait_healthy(10)
        started = time.monotonic()
        # A restart begun late still needs load to see the instance back in rotation.
        load.end = max(load.end, started + args.restart_budget)
        await wait_for(lambda: load.last_served.get(name, 0) > started, 15, f"a session on restarted {name}")
        restarts.append({"instance": name, "drain_s": round(stopped - began, 2),
                         "back_in_rotation_s": round(time.monotonic() - started, 2)})
    return restarts


async def run(args):
    instances = {name: Instance(name, args) for name in INSTANCE_PORTS}
    balancer = None
    try:
        for port in [BALANCER_PORT, *INSTANCE_PORTS.values()]:
            if not port_free(port):
                say(f"port {port} is taken: examples/deployment's files use 8080, 8081 and 8082")
                return 2
        for instance in instances.values():
            instance.start()
        for instance in instances.values():
            await instance.wait_healthy(10)
        balancer = start_balancer(args)
        end = time.monotonic() + 10
        while True:
            if balancer.poll() is not None:
                say(f"{args.engine} exited with {balancer.returncode} (log: {args.logs})")
                return 2
            try:
                async with connect(BALANCER_PORT, CLIENT) as ws:
                    await whoami(ws)
                break
            except (OSError, websockets.WebSocketException, asyncio.TimeoutError):
                if time.monotonic() > end:
                    raise CheckFailed(f"{args.engine} does not reach the instances after 10 s")
                await asyncio.sleep(0.1)

        await address_checks(args, instances)

        load = Load()
        began = time.monotonic()
        deadline = began + args.seconds
        load.end = deadline
        workers = [asyncio.create_task(short_sessions(load)) for _ in range(args.short_workers)]
        workers += [asyncio.create_task(long_sessions(load)) for _ in range(args.long_sessions)]
        try:
            restarts = await rolling_restarts(args, instances, load, deadline)
        finally:
            await asyncio.gather(*workers)
        elapsed = time.monotonic() - began

        summary = {
            "engine": args.engine, "seconds": round(elapsed, 1), "restarts": restarts,
            "attempts": load.attempts, "completed": load.completed, "failed": len(load.failures),
            "rate_per_s": round(load.attempts / elapsed), "served": dict(load.served),
            "short_sessions_ended_by_drain_1001": load.drained_short,
            "long_session_close_codes": {str(code): count for code, count in load.long_closes.items()},
            "failures_first_10": load.failures[:10],
        }
        with open(os.path.join(args.out, f"{args.engine}-summary.json"), "w") as file:
            json.dump(summary, file, indent=2)
        per_instance = collections.Counter(r["instance"] for r in restarts)
        say(f"{args.engine}: {len(restarts)} rolling restarts (a {per_instance['a']}×, b {per_instance['b']}×), "
            f"each exit 0, drains of {min(r['drain_s'] for r in restarts) if restarts else 0}-"
            f"{max(r['drain_s'] for r in restarts) if restarts else 0} s")
        say(f"{args.engine}: {load.attempts} connection attempts in {elapsed:.1f} s ({summary['rate_per_s']}/s), "
            f"{len(load.failures)} failed; served a:{load.served['a']} b:{load.served['b']}; "
            f"long sessions closed {dict(load.long_closes)}; short sessions ended by a drain with 1001: "
            f"{load.drained_short}")
        problems = []
        if load.failures:
            problems.append(f"{len(load.failures)} failed attempts, first: {load.failures[:3]}")
        if len(restarts) < 2:
            problems.append(f"only {len(restarts)} restart(s) in {args.seconds} s: each instance needs one")
        if load.long_closes.get(1001, 0) == 0:
            problems.append("no long session saw a drain's 1001")
        if set(load.long_closes) - {1001}:
            problems.append(f"long sessions closed with {dict(load.long_closes)}, not only 1001")
        if problems:
            raise CheckFailed("; ".join(problems))
        return 0
    except CheckFailed as failure:
        say(f"FAIL: {failure} (logs: {args.logs})")
        for count, kind in balancer_log_kinds(args):
            say(f"{args.engine} logged {count}x: {kind}")
        return 1
    finally:
        if balancer and balancer.poll() is None:
            balancer.terminate()
            balancer.wait()
        for instance in instances.values():
            if instance.process and instance.process.poll() is None:
                instance.process.send_signal(signal.SIGTERM)
                try:
                    instance.process.wait(15)
                except subprocess.TimeoutExpired:
                    pass
            instance.kill()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engine", choices=["haproxy", "nginx"], required=True)
    parser.add_argument("--wsgate", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--tmp", required=True)
    parser.add_argument("--haproxy", default="/usr/sbin/haproxy")
    parser.add_argument("--nginx", default="/usr/sbin/nginx")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--short-workers", type=int, default=16)
    parser.add_argument("--long-sessions", type=int, default=20)
    parser.add_argument("--restart-budget", type=float, default=6,
                        help="no restart begins later than this many seconds before the end")
    args = parser.parse_args()
    args.logs = os.path.join(args.out, f"{args.engine}-logs")
    os.makedirs(args.logs, exist_ok=True)
    sys.exit(asyncio.run(run(args)))


if __name__ == "__main__":
    main()
