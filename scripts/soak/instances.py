"""The wsgate processes under soak: how each is started, found on its port, measured and stopped.

Why it exists: one instance per backend kind keeps each one's descriptors, memory and log
apart, so a leak is pinned to a kind. Every instance listens on 127.0.0.1 only, on a port the
kernel picks (`--port=0`; wsgate names it in its first log line). Its log (stdout) and stderr
go to files in the output directory; the start-up descriptor count is taken once it logged
that it serves, before any client came.
"""
import os
import re
import resource
import signal
import subprocess
import time

import procfs

STARTED = re.compile(r"Starting WebSocket server   : ws://127\.0\.0\.1:(\d+)/")


class Instance:
    """One running wsgate; `allowed_errors` are the ERROR lines its faults are expected to cause."""

    def __init__(self, name, argv, out_dir, allowed_errors=(), nofile=None):
        self.name = name
        self.argv = argv
        self.log_path = os.path.join(out_dir, f"{name}.log")
        self.stderr_path = os.path.join(out_dir, f"{name}.stderr")
        self.allowed_errors = [re.compile(pattern) for pattern in allowed_errors]
        self.nofile = nofile
        self.process = None
        self.port = None
        self.start_fds = None
        self.warm_rss = None
        self.end_fds = None
        self.end_rss = None
        self.children = []
        self.exit_status = None

    @property
    def pid(self):
        return self.process.pid

    def start(self):
        limit = self.nofile

        def lower_descriptor_limit():  # runs in the child, before exec
            resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))

        with open(self.log_path, "wb") as log, open(self.stderr_path, "wb") as errors:
            self.process = subprocess.Popen(
                self.argv, stdin=subprocess.DEVNULL, stdout=log, stderr=errors,
                preexec_fn=lower_descriptor_limit if limit else None)

    def wait_until_serving(self, deadline):
        """Waits for the port in the log (the listener line comes after the backend's, as in
        websocketd's log); records the start-up fds."""
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name}: wsgate exited with {self.process.returncode} at start "
                                   f"(see {self.log_path}, {self.stderr_path})")
            with open(self.log_path, errors="replace") as log:
                text = log.read()
            match = STARTED.search(text)
            if match:
                self.port = int(match.group(1))
                self.start_fds = procfs.fd_count(self.pid)
                return
            time.sleep(0.02)
        raise RuntimeError(f"{self.name}: no 'Starting WebSocket server' line in time (see {self.log_path})")

    def fds(self):
        return procfs.fd_count(self.pid)

    def rss(self):
        return procfs.rss_kb(self.pid)

    def stop(self, deadline):
        """SIGTERM, then the exit status (wsgate exits 0 after a clean shutdown); SIGKILL if it hangs."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.exit_status = self.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            self.exit_status = "hung after SIGTERM (killed)"
        return self.exit_status


def gateway_argv(wsgate, flags, command=()):
    """wsgate's flags come before COMMAND (the first word that is not a flag)."""
    return [wsgate, "--address=127.0.0.1", "--port=0", *flags, *command]
