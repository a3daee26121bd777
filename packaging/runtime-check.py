#!/usr/bin/env python3
"""Runs the installed wsgate the way its systemd units do, and talks to it.

    packaging/runtime-check.py serve      [--binary=/usr/bin/wsgate] [--config=FILE] [--user=wsgate]
    packaging/runtime-check.py activation [--binary=...] [--config=...] [--user=...]
    packaging/runtime-check.py defaults   [--binary=...] [--config=...] [--user=...]
    packaging/runtime-check.py systemd    --deb=FILE

serve       starts `wsgate --config=FILE --port=0` as USER (setpriv, no new privileges,
            working directory /) with $NOTIFY_SOCKET pointing at a datagram socket of ours,
            as Type=notify does. Checks: READY=1 arrives; the log's first line names
            127.0.0.1 (so the config file was read: --port=0 on the command line overrides
            only the port); the example answers over WebSocket ("Hello, client!", then
            "Received message: ping"); SIGTERM ends wsgate with status 0 (KillMode=mixed
            relies on that drain).
activation  holds a listening socket on 127.0.0.1 (a free port, not the config's 8080) and
            passes it as fd 3 with LISTEN_FDS=1 / LISTEN_PID, as wsgate.socket does. Checks:
            wsgate serves that socket and opens no listener of its own (the config's port is
            ignored); then a restart under load: client threads connect all the time while
            wsgate gets SIGTERM and exits, 16 more attempts are made while no process runs,
            and a second wsgate takes over the same socket. No attempt may be refused or lost
            (see Load.judge for the one tolerance); those made meanwhile are served by the
            second process.
defaults    uncomments, one at a time, each line of the config that states a flag's default
            (helpgen.py commented_defaults: available flags whose default is a value) and
            checks that wsgate starts with it: the generated file stays usable.
systemd     only where systemd is PID 1 (packaging/systemd-check.sh runs it inside its
            namespaces): installs FILE and checks the units as systemd runs them.

Prints one line per check; exit status 0 when all pass, 1 otherwise. Standard library only
(a minimal RFC 6455 client is built in). Must run as root.
"""

import argparse
import base64
import hashlib
import os
import re
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

GREETING = "Hello, client!"
STARTED = re.compile(r"Starting WebSocket server   : ws://(\S+):(\d+)/")
PATH_ENV = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

failures = []


def check(ok, what, detail=""):
    print(f"runtime-check: {'ok  ' if ok else 'FAIL'} {what}" + (f": {detail}" if detail else ""), flush=True)
    if not ok:
        failures.append(what)
    return ok


# ---- a minimal WebSocket client (RFC 6455) ---------------------------------------------------

class WSClient:
    def __init__(self, host, port, timeout=10.0, stage=None):
        stage = stage if stage is not None else [""]
        stage[0] = "connect"
        self.sock = socket.create_connection((host, port), timeout=timeout)
        stage[0] = "handshake"
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET / HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        if not lines[0].startswith("HTTP/1.1 101"):
            raise ConnectionError(f"handshake answered {lines[0]!r}")
        expected = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest())
        accept = [line.split(":", 1)[1].strip() for line in lines[1:] if line.lower().startswith("sec-websocket-accept:")]
        if accept != [expected.decode()]:
            raise ConnectionError(f"bad Sec-WebSocket-Accept {accept}")

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("connection closed by wsgate")
        self.buffer += data

    def _take(self, count):
        while len(self.buffer) < count:
            self._fill()
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def receive(self):
        """Returns (opcode, payload) of the next unfragmented frame."""
        first, second = self._take(2)
        length = second & 0x7F
        if length == 126:
            length = struct.unpack("!H", self._take(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", self._take(8))[0]
        if second & 0x80:
            raise ConnectionError("the server masked a frame")
        return first & 0x0F, self._take(length)

    def send(self, opcode, payload):
        mask = os.urandom(4)
        header = bytes([0x80 | opcode])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        else:
            header += bytes([0x80 | 126]) + struct.pack("!H", len(payload))
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def text(self):
        opcode, payload = self.receive()
        if opcode != 1:
            raise ConnectionError(f"expected a text frame, got opcode {opcode} {payload!r}")
        return payload.decode()

    def close(self):
        try:
            self.send(8, struct.pack("!H", 1000))
            while True:
                opcode, _ = self.receive()
                if opcode == 8:
                    break
        except (OSError, ConnectionError):
            pass
        self.sock.close()


# ---- running wsgate as the service does ------------------------------------------------------

class Gateway:
    """wsgate as USER with no new privileges, stdout+stderr to a log file we read."""

    def __init__(self, args, extra_args, notify=None, listen_fd=None):
        self.log_path = tempfile.mktemp(prefix="wsgate-runtime-", suffix=".log")
        log = os.open(self.log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        argv = ["setpriv", f"--reuid={args.user}", f"--regid={args.user}", "--init-groups",
                "--no-new-privs", "--", args.binary, f"--config={args.config}", *extra_args]
        env = {"PATH": PATH_ENV}
        if notify:
            env["NOTIFY_SOCKET"] = notify
        pid = os.fork()
        if pid == 0:
            try:
                os.chdir("/")
                os.dup2(log, 1)
                os.dup2(log, 2)
                if listen_fd is not None:
                    # Python's sockets are close-on-exec, and dup2 onto itself (the socket
                    # may already be fd 3) would not clear that: go through a spare number.
                    spare = os.dup(listen_fd)
                    os.dup2(spare, 3, inheritable=True)
                    os.close(spare)
                    env.update(LISTEN_FDS="1", LISTEN_PID=str(os.getpid()), LISTEN_FDNAMES="wsgate.socket")
                    os.closerange(4, 1024)
                else:
                    os.closerange(3, 1024)
                os.execvpe("setpriv", argv, env)  # setpriv execs wsgate: LISTEN_PID stays right
            finally:
                os._exit(127)
        os.close(log)
        self.pid = pid
        self.status = None

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as handle:
            return handle.read()

    def wait_for_start(self, deadline=15.0):
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            found = STARTED.search(self.log())
            if found:
                return found.group(1), int(found.group(2))
            if self.poll() is not None:
                return None
            time.sleep(0.05)
        return None

    def poll(self):
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
        return self.status

    def stop(self, deadline=30.0):
        """SIGTERM, then the exit status (None if it did not end within deadline: SIGKILL)."""
        if self.poll() is None:
            os.kill(self.pid, signal.SIGTERM)
        end = time.monotonic() + deadline
        while self.poll() is None and time.monotonic() < end:
            time.sleep(0.05)
        if self.poll() is None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            return None
        return os.waitstatus_to_exitcode(self.status)

    def cleanup(self):
        if self.poll() is None:
            self.stop(5)
        os.unlink(self.log_path)


def exchange(host, port):
    client = WSClient(host, port)
    try:
        greeting = client.text()
        client.send(1, b"ping")
        answer = client.text()
    finally:
        client.close()
    return greeting, answer


class Load:
    """Client threads connecting all the time (handshake, greeting, close), recording
    (began, ended, outcome) per attempt: "ok", "after the handshake: …" (a session the server
    closed, e.g. with 1001 on shutdown) or "failed (stage): …" (connect or handshake)."""

    def __init__(self, port, threads=4, greeting=GREETING):
        self.port, self.greeting = port, greeting
        self.results, self.stopping = [], threading.Event()
        self.threads = [threading.Thread(target=self._loop, daemon=True) for _ in range(threads)]
        for thread in self.threads:
            thread.start()

    def _loop(self):
        while not self.stopping.is_set():
            began, stage = time.monotonic(), ["connect"]
            try:
                client = WSClient("127.0.0.1", self.port, timeout=30, stage=stage)
                try:
                    outcome = "ok" if client.text() == self.greeting else "wrong greeting"
                except (OSError, ConnectionError) as error:
                    outcome = f"after the handshake: {error}"
                client.close()
            except (OSError, ConnectionError) as error:
                outcome = f"failed ({stage[0]}): {error}"
            self.results.append((began, time.monotonic(), outcome))

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(40)
        return self.results

    def judge(self, what, old_process_gone, restarts=1):
        """Checks that no attempt was lost. A connection the old process had accepted but not
        yet upgraded when SIGTERM came is answered 503 by it (wsgate's drain: an orderly
        refusal the client retries), which is tolerated, at most one per client thread and
        restart, and shown. Anything refused, or failing once the old process is gone, is a
        lost attempt."""
        failed = [r for r in self.results if r[2].startswith("failed")]
        aborted = [r for r in failed if r[2].startswith("failed (handshake)")
                   and r[0] < old_process_gone and "refused" not in r[2]]
        lost = [r for r in failed if r not in aborted]
        closed = sum(r[2].startswith("after the handshake") for r in self.results)
        ok = sum(r[2] == "ok" for r in self.results)
        check(not lost and len(aborted) <= len(self.threads) * restarts, what,
              f"{len(self.results)} attempts: {ok} served, {closed} open sessions closed by the "
              f"old process, {len(aborted)} refused by it (503) before the 101, {len(lost)} lost" +
              (f" {sorted(set(r[2] for r in lost))}" if lost else ""))


def run_serve(args):
    directory = tempfile.mkdtemp(prefix="wsgate-notify-")
    os.chmod(directory, 0o755)
    notify_path = os.path.join(directory, "notify")
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(notify_path)
    os.chmod(notify_path, 0o777)     # systemd's /run/systemd/notify is writable by all too
    gateway = Gateway(args, ["--port=0"], notify=notify_path)
    try:
        ready = select.select([notify], [], [], 15.0)[0]
        message = notify.recv(4096).decode(errors="replace") if ready else ""
        check("READY=1" in message.split("\n"), "sd_notify: READY=1 on $NOTIFY_SOCKET", repr(message) or "nothing in 15 s")
        started = gateway.wait_for_start()
        if not check(started is not None, "wsgate --config started", gateway.log().strip()[-600:]):
            return
        host, port = started
        check(host == "127.0.0.1", "the config's address = 127.0.0.1 applies", f"listening on {host}:{port}")
        try:
            greeting, answer = exchange(host, port)
            check(greeting == GREETING, "the example greets", repr(greeting))
            check(answer == "Received message: ping", "the example answers", repr(answer))
        except (OSError, ConnectionError) as error:
            check(False, "WebSocket exchange with the example", str(error))
        status = gateway.stop()
        check(status == 0, "SIGTERM: clean exit 0", f"status {status}")
        extra = []
        notify.setblocking(False)
        try:
            while True:
                extra.append(notify.recv(4096).decode(errors="replace"))
        except BlockingIOError:
            pass
        if extra:
            print(f"runtime-check: info later notifications: {extra!r}")
    finally:
        print("runtime-check: --- wsgate's log ---\n" + gateway.log().rstrip() + "\nruntime-check: ---", flush=True)
        gateway.cleanup()
        notify.close()
        os.unlink(notify_path)
        os.rmdir(directory)


def listening_sockets(pid):
    """Inodes of the listening TCP sockets among pid's file descriptors."""
    held = set()
    if not os.path.isdir(f"/proc/{pid}/fd"):
        return held
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            held.add(int(target[8:-1]))
    listening = set()
    for table in ("tcp", "tcp6"):
        for line in open(f"/proc/{pid}/net/{table}").read().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A":                         # TCP_LISTEN
                listening.add(int(fields[9]))
    return held & listening


def run_activation(args):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1024)
    port = listener.getsockname()[1]
    first = Gateway(args, [], listen_fd=listener.fileno())
    second = None
    try:
        started = first.wait_for_start()
        check(started == ("127.0.0.1", port), "LISTEN_FDS: wsgate serves the socket it is given",
              f"log says {started}, socket is 127.0.0.1:{port}")
        try:
            greeting, answer = exchange("127.0.0.1", port)
            check((greeting, answer) == (GREETING, "Received message: ping"), "the example answers on it")
        except (OSError, ConnectionError) as error:
            check(False, "WebSocket exchange over the passed socket", str(error))
        own = listening_sockets(first.pid) - {os.fstat(listener.fileno()).st_ino}
        check(not own, "no listener of its own (the config's port 8080 is ignored)",
              f"{len(own)} other listening socket(s)" if own else "")

        # A restart under load: several clients connect all the time.
        load = Load(port)
        time.sleep(1.0)
        stop_began = time.monotonic()
        status = first.stop()
        first_exited = time.monotonic()
        check(status == 0, "first process: SIGTERM, clean exit 0", f"status {status}")
        # The gap a restart leaves, made visible: 16 more attempts while no process runs.
        waiting = []

        def one_attempt():
            began = time.monotonic()
            try:
                client = WSClient("127.0.0.1", port, timeout=20)
                outcome = "ok" if client.text() == GREETING else "wrong greeting"
                client.close()
            except (OSError, ConnectionError) as error:
                outcome = f"failed: {error}"
            waiting.append((began, time.monotonic(), outcome))

        extra = [threading.Thread(target=one_attempt, daemon=True) for _ in range(16)]
        for thread in extra:
            thread.start()
        time.sleep(0.5)
        second = Gateway(args, [], listen_fd=listener.fileno())
        check(second.wait_for_start() == ("127.0.0.1", port), "second process takes over the socket")
        restarted = time.monotonic()
        time.sleep(1.0)
        load.stop()
        load.judge("restart: no connection attempt refused or lost", first_exited)
        served_later = [r for r in load.results if stop_began <= r[0] <= restarted and r[2] == "ok" and r[1] >= restarted]
        for thread in extra:
            thread.join(30)
        check(len(served_later) > 0 and len(waiting) == 16 and all(r[2] == "ok" for r in waiting),
              "restart: attempts made while no process ran waited in the backlog, then were served",
              f"{sum(r[2] == 'ok' for r in waiting)} of 16 made with no process running were served" +
              (f"; {sorted(set(r[2] for r in waiting if r[2] != 'ok'))}" if any(r[2] != "ok" for r in waiting) else ""))
        status = second.stop()
        check(status == 0, "second process: SIGTERM, clean exit 0", f"status {status}")
    finally:
        for gateway in (first, second):
            if gateway:
                if failures:
                    tail = gateway.log().rstrip().splitlines()[-40:]
                    print(f"runtime-check: --- end of the log of pid {gateway.pid} ---\n" + "\n".join(tail), flush=True)
                gateway.cleanup()
        listener.close()


def run_defaults(args):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import helpgen
    help_text = subprocess.run([args.binary, "--help"], capture_output=True, text=True, check=True).stdout
    defaults = helpgen.commented_defaults(helpgen.parse(help_text.splitlines(True)))
    with open(args.config, encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    directory = tempfile.mkdtemp(prefix="wsgate-defaults-")
    os.chmod(directory, 0o755)
    variant = os.path.join(directory, "variant.conf")
    bad = []
    try:
        for name, value in defaults:
            commented = f"#{name} = {value}"
            if commented not in lines:
                bad.append(f"{commented!r} is not in {args.config}")
                continue
            with open(variant, "w", encoding="utf-8") as handle:
                handle.write("\n".join(f"{name} = {value}" if line == commented else line for line in lines) + "\n")
            os.chmod(variant, 0o644)
            gateway = Gateway(argparse.Namespace(**{**vars(args), "config": variant}), ["--port=0"])
            started = gateway.wait_for_start(10)
            gateway.stop(10)
            if started is None:
                bad.append(f"{name} = {value}: {gateway.log().strip()[:200]}")
            gateway.cleanup()
    finally:
        if os.path.exists(variant):
            os.unlink(variant)
        os.rmdir(directory)
    check(not bad and defaults, f"each of the {len(defaults)} commented defaults works uncommented",
          "; ".join(bad))


# ---- under a running systemd (packaging/systemd-check.sh runs this inside its namespaces) ----

PROBE = """#!/bin/sh
# What a program spawned by wsgate@probe.service may do in the sandbox: one key=value a line.
echo "user=$(id -un)"
echo "cwd=$(pwd)"
touch ./probe 2>/dev/null && echo write_cwd=ok || echo write_cwd=denied
touch /tmp/probe 2>/dev/null && echo write_tmp=ok || echo write_tmp=denied
touch /etc/probe 2>/dev/null && echo write_etc=ok || echo write_etc=denied
ls /home >/dev/null 2>&1 && echo read_home=ok || echo read_home=denied
head -c 1 /proc/cpuinfo >/dev/null 2>&1 && echo read_cpuinfo=ok || echo read_cpuinfo=denied
(true & wait) && echo fork=ok
python3 -c 'import socket; socket.socket(socket.AF_INET6).close()' 2>/dev/null && echo inet6=ok || echo inet6=denied
python3 -c 'import socket; socket.socket(socket.AF_NETLINK, socket.SOCK_RAW).close()' 2>/dev/null && echo netlink=ok || echo netlink=denied
echo "nofile=$(ulimit -n)"
echo done
"""
PROBE_EXPECTED = {"user": "wsgate", "cwd": "/var/lib/wsgate/probe", "write_cwd": "ok", "write_tmp": "ok",
                  "write_etc": "denied", "read_home": "denied", "read_cpuinfo": "ok", "fork": "ok",
                  "inet6": "ok", "netlink": "denied", "nofile": "16384"}


def systemctl(*words):
    return subprocess.run(["systemctl", *words], capture_output=True, text=True)


def unit_property(unit, name):
    return systemctl("show", "-p", name, "--value", unit).stdout.strip()


def run_systemd(args):
    with open("/proc/1/comm") as handle:
        if handle.read().strip() != "systemd":
            check(False, "systemd is PID 1 here")
            return
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(["dpkg-query", "-W", "wsgate"], capture_output=True).returncode == 0:
        subprocess.run(["dpkg", "--purge", "wsgate"], capture_output=True)   # a fresh install
    install = subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", args.deb],
                             capture_output=True, text=True, env=environment)
    check(install.returncode == 0, "apt-get install under systemd",
          install.stderr.strip()[-500:] if install.returncode else "")
    for unit in ("wsgate.socket", "wsgate.service"):
        check(systemctl("is-enabled", unit).stdout.strip() == "enabled", f"{unit} enabled")
        check(systemctl("is-active", unit).stdout.strip() == "active", f"{unit} started by postinst")
    check(unit_property("wsgate.service", "StatusText").startswith("application"),
          "Type=notify: READY=1 with STATUS= arrived", unit_property("wsgate.service", "StatusText"))
    check(unit_property("wsgate.service", "TriggeredBy") == "wsgate.socket", "wsgate.service runs on wsgate.socket")
    try:
        check(exchange("127.0.0.1", 8080) == (GREETING, "Received message: ping"),
              "the shipped configuration answers on 127.0.0.1:8080")
    except (OSError, ConnectionError) as error:
        check(False, "WebSocket exchange on 127.0.0.1:8080", str(error))

    # The sandbox as a spawned program sees it.
    with open("/usr/local/bin/wsgate-probe", "w") as handle:
        handle.write(PROBE)
    os.chmod("/usr/local/bin/wsgate-probe", 0o755)
    with open("/etc/wsgate/probe.conf", "w") as handle:
        handle.write("address = 127.0.0.1\nport = 8081\ncommand = /usr/local/bin/wsgate-probe\n")
    started = systemctl("start", "wsgate@probe.service")
    check(started.returncode == 0, "wsgate@probe.service (the template) starts", started.stderr.strip())
    seen = {}
    try:
        client = WSClient("127.0.0.1", 8081)
        while True:
            line = client.text()
            if line == "done":
                break
            key, _, value = line.partition("=")
            seen[key] = value
        client.close()
    except (OSError, ConnectionError) as error:
        seen["error"] = str(error)
    wrong = {key: seen.get(key) for key, value in PROBE_EXPECTED.items() if seen.get(key) != value}
    check(not wrong, "sandbox seen by a spawned program: " + ", ".join(f"{k}={v}" for k, v in PROBE_EXPECTED.items()),
          f"differs: {wrong}" if wrong else "")
    systemctl("stop", "wsgate@probe.service")

    # Restarts and an upgrade under load: the socket stays, no attempt is refused.
    socket_since = unit_property("wsgate.socket", "ActiveEnterTimestampMonotonic")
    for what, command, times in (("systemctl restart wsgate.service", ["systemctl", "restart", "wsgate.service"], 3),
                                 ("dpkg -i (upgrade: postinst restarts the service)", ["dpkg", "-i", args.deb], 1)):
        service_since = unit_property("wsgate.service", "ExecMainPID")
        load = Load(8080)
        time.sleep(1.0)
        for _ in range(times):
            done = subprocess.run(command, capture_output=True, text=True, env=environment)
            check(done.returncode == 0, what, done.stderr.strip()[-300:] if done.returncode else "")
            time.sleep(0.5)
        time.sleep(0.5)
        load.stop()
        load.judge(f"{times} x {what} under load: no connection attempt refused or lost", time.monotonic(), times)
        check(unit_property("wsgate.service", "ExecMainPID") != service_since, f"{what}: a new wsgate process")
    check(unit_property("wsgate.socket", "ActiveEnterTimestampMonotonic") == socket_since,
          "wsgate.socket never restarted (its backlog kept the attempts)")

    # Stopping with sessions open: wsgate's drain (KillMode=mixed), 1001 to every client.
    with open("/etc/wsgate/count.conf", "w") as handle:
        handle.write("address = 127.0.0.1\nport = 8082\ncommand = /usr/share/wsgate/examples/count.sh\n")
    systemctl("start", "wsgate@count.service")
    codes = []

    def answer_close(client):
        try:
            while True:
                opcode, payload = client.receive()
                if opcode == 8:
                    codes.append(struct.unpack("!H", payload[:2])[0])
                    client.send(8, payload[:2])
                    client.sock.close()
                    return
        except (OSError, ConnectionError) as error:
            codes.append(str(error))

    clients = [WSClient("127.0.0.1", 8082) for _ in range(3)]
    firsts = [client.text() for client in clients]
    readers = [threading.Thread(target=answer_close, args=(client,)) for client in clients]
    for reader in readers:
        reader.start()
    began = time.monotonic()
    systemctl("stop", "wsgate@count.service")
    took = time.monotonic() - began
    for reader in readers:
        reader.join(10)
    check(firsts == ["1"] * 3 and codes == [1001] * 3 and took < 10,
          "systemctl stop with 3 sessions open: each closed with 1001, wsgate's drain ends it",
          f"{took:.2f} s, close codes {codes}")
    check(unit_property("wsgate@count.service", "Result") == "success", "stopped cleanly (Result=success)",
          unit_property("wsgate@count.service", "Result"))

    # A configuration error fails the start at once and is not retried.
    with open("/etc/wsgate/bad.conf", "w") as handle:
        handle.write("port = 8083\nbogus = 1\ncommand = /bin/cat\n")
    failed = systemctl("start", "wsgate@bad.service")
    time.sleep(3)
    journal = subprocess.run(["journalctl", "-u", "wsgate@bad.service", "--no-pager", "-o", "cat"],
                             capture_output=True, text=True).stdout
    check(failed.returncode != 0 and unit_property("wsgate@bad.service", "NRestarts") == "0"
          and "/etc/wsgate/bad.conf:2" in journal,
          "a config error fails systemctl start, names file:line in the journal, no restart loop",
          f"status {failed.returncode}, NRestarts={unit_property('wsgate@bad.service', 'NRestarts')}")
    systemctl("reset-failed", "wsgate@bad.service")
    for name in ("probe", "count", "bad"):
        os.unlink(f"/etc/wsgate/{name}.conf")
    os.unlink("/usr/local/bin/wsgate-probe")

    # Remove stops and masks; purge leaves nothing.
    removed = subprocess.run(["dpkg", "-r", "wsgate"], capture_output=True, text=True)
    check(removed.returncode == 0, "dpkg -r wsgate", removed.stderr.strip()[-300:] if removed.returncode else "")
    states = {unit: systemctl("is-active", unit).stdout.strip() for unit in ("wsgate.socket", "wsgate.service")}
    check(all(state == "inactive" for state in states.values()), "after remove: units stopped", str(states))
    check(subprocess.run(["pgrep", "-u", "wsgate"], capture_output=True).returncode == 1,
          "after remove: no process of the wsgate user")
    check(systemctl("is-enabled", "wsgate.service").stdout.strip() == "masked", "after remove: units masked")
    purged = subprocess.run(["dpkg", "--purge", "wsgate"], capture_output=True, text=True)
    check(purged.returncode == 0, "dpkg --purge wsgate", purged.stderr.strip()[-300:] if purged.returncode else "")
    leftovers = systemctl("list-unit-files", "--no-legend", "wsgate*").stdout.strip()
    check(not leftovers and not os.path.exists("/var/lib/wsgate") and not os.path.exists("/etc/wsgate")
          and subprocess.run(["getent", "passwd", "wsgate"], capture_output=True).returncode == 2,
          "after purge: no unit file, mask, state directory, configuration or user left", leftovers)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["serve", "activation", "defaults", "systemd"])
    parser.add_argument("--deb", help="systemd mode: the package to install")
    parser.add_argument("--binary", default="/usr/bin/wsgate")
    parser.add_argument("--config", default="/etc/wsgate/wsgate.conf")
    parser.add_argument("--user", default="wsgate")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("runtime-check: must run as root (it switches to the service user)", file=sys.stderr)
        return 2
    if args.mode == "systemd" and not args.deb:
        parser.error("systemd needs --deb=FILE")
    {"serve": run_serve, "activation": run_activation, "defaults": run_defaults,
     "systemd": run_systemd}[args.mode](args)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
