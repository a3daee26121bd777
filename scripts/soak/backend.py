"""The TCP backend behind the soak's `wsgate --tcp` instance: a line echo that can misbehave.

Why it exists: `--tcp` needs a service to connect to, and the soak needs one that resets
(SO_LINGER 0) and one that ends the connection itself, on cue, so the client knows which close
to expect. A client message `__soak_reset__` makes the backend reset the connection (the
client must get close 1011), `__soak_bye__` makes it close normally after echoing what came
before (close 1000). Every other line is echoed. One thread per connection: the soak's rate is
tens per second, and the threads never outlive their connection.
"""
import socket
import struct
import threading

RESET_LINE = b"__soak_reset__"
BYE_LINE = b"__soak_bye__"


class EchoBackend:
    def __init__(self):
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(512)
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.counts = {"connections": 0, "resets": 0, "byes": 0, "active": 0, "errors": 0}
        self.thread = threading.Thread(target=self.accept_loop, name="tcp-backend", daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        self.stopping.set()
        self.thread.join(2)
        self.listener.close()

    def count(self, name, delta=1):
        with self.lock:
            self.counts[name] += delta

    def accept_loop(self):
        while not self.stopping.is_set():
            try:
                connection, _ = self.listener.accept()
            except socket.timeout:
                continue
            except OSError:
                if self.stopping.is_set():
                    return
                self.count("errors")
                continue
            self.count("connections")
            threading.Thread(target=self.serve, args=(connection,), daemon=True).start()

    def serve(self, connection):
        """Echoes lines until EOF, a control line, or an error; always closes the socket."""
        self.count("active")
        connection.settimeout(30)
        pending = bytearray()
        try:
            while True:
                data = connection.recv(65536)
                if not data:
                    connection.sendall(pending)  # an unterminated last line goes back as it is
                    return
                pending += data
                if self.relay_lines(connection, pending) == "stop":
                    return
        except OSError:
            pass  # wsgate reset or closed us: nothing to echo any more
        finally:
            self.count("active", -1)
            connection.close()

    def relay_lines(self, connection, pending):
        """Echoes every complete line in pending (removing it); 'stop' after a control line."""
        while b"\n" in pending:
            end = pending.index(b"\n") + 1
            line = bytes(pending[:end])
            del pending[:end]
            if line.rstrip(b"\r\n") == RESET_LINE:
                self.count("resets")
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return "stop"
            if line.rstrip(b"\r\n") == BYE_LINE:
                self.count("byes")
                connection.shutdown(socket.SHUT_WR)
                drain(connection)
                return "stop"
            connection.sendall(line)
        return "go on"


def drain(connection):
    """Reads until wsgate's EOF (bounded by the socket timeout), so our close sends FIN, not RST."""
    connection.settimeout(5)
    while connection.recv(65536):
        pass
