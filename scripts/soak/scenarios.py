"""The client scenarios of the soak: what one connection does, and what it must see.

Why it exists: the soak's load is a steady mix of these, against every backend kind. A normal
scenario checks every byte that comes back and the closing handshake; a fault scenario
misbehaves on purpose (vanishes mid-frame, stops reading, resets, makes the program crash or
the backend reset) and still checks what a correct gateway must do (the 101, the close code a
crash or a reset gets). A scenario raises wsclient.Failure for anything wrong; a fault that the
scenario injects on purpose is never a failure by itself.
"""
import threading

import backend
from wsclient import OP_BINARY, OP_CONTINUATION, OP_PING, OP_PONG, OP_TEXT, Client, Failure, encode_frame

FLOOD_SMALL_BYTES = 256 * 1024
# Programs of the `faults` instance (`--dir`), by URL path: the script runs `wsgate-testcmd ARGS`.
FAULT_PROGRAMS = {
    "crash": ["kill-self", "11"],
    "exit3": ["exit", "3"],
    "bye": ["exit", "--say-bye", "0"],
    "ignore-term": ["signals"],
    "grandchild": ["spawn-grandchild"],
    "grandchild-exit": ["spawn-grandchild", "--exit"],
    "flood": ["flood", str(1 << 40)],  # never ends on its own: the client that stops reading must end it
    "flood-small": ["flood", str(FLOOD_SMALL_BYTES)],
}
FLOOD_LINE = "x" * 63  # wsgate-testcmd flood writes 64-byte lines, "\n" included

# A mix of one-, two-, three- and four-byte UTF-8, without line ends (line mode splits on them).
ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?-_/é€中𝄞"


class Scenario:
    """A named connection behaviour against one instance (`kind`) at one URL path.

    `most_in_flight` caps how many of it run at once. The scenarios that make wsgate buffer all
    it may for a connection (a client that stops reading, a flooding program whose client stops
    reading or reads slowly, as a Python client does) are capped at 1: wsgate's memory then
    peaks at what one such connection costs, during the warm-up, instead of creeping up
    whenever several happen to overlap later in the run (more often on a busy machine), which
    would look like a leak to the RSS check without being one.
    """

    def __init__(self, kind, name, run, weight=1, injected=False, path="/", most_in_flight=None):
        self.kind, self.name, self.run, self.weight, self.injected, self.path = kind, name, run, weight, injected, path
        self.most_in_flight = most_in_flight

    @property
    def label(self):
        return f"{self.kind}/{self.name}"


class Notes:
    """What scenarios learn that the final checks need (the grandchildren's pids)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.grandchildren = []

    def grandchild(self, pid):
        with self.lock:
            self.grandchildren.append(pid)


# -- helpers ----------------------------------------------------------------------------------

def random_text(rng, longest=2000):
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, longest)))


def open_client(port, path, deadline):
    client = Client(port, deadline, path)
    try:
        client.handshake()
    except BaseException:
        client.abort()
        raise
    return client


def text_round_trips(client, rng, count, longest=2000):
    for _ in range(count):
        text = random_text(rng, longest)
        client.send_text(text)
        client.expect_message(OP_TEXT, text.encode())


def half_a_frame(rng):
    """The first bytes of a frame whose payload has not all arrived: header, mask and part of it."""
    frame = encode_frame(OP_BINARY, rng.randbytes(rng.randint(200, 5000)))
    return frame[: rng.randint(2, len(frame) - 1)]


def read_grandchild(client, notes):
    opcode, payload = client.read_message()
    words = payload.decode(errors="replace").split()
    if opcode != OP_TEXT or len(words) != 2 or words[0] != "grandchild" or not words[1].isdigit():
        raise Failure(f"expected 'grandchild PID', got {payload[:60]!r}")
    notes.grandchild(int(words[1]))


# -- program, line mode (wsgate-testcmd echo) ---------------------------------------------------

def line_echo(port, path, deadline, rng, notes):
    client = open_client(port, path, deadline)
    text_round_trips(client, rng, rng.randint(1, 5))
    client.close_handshake(1000)


def no_close_frame(port, path, deadline, rng, notes):
    client = open_client(port, path, deadline)
    text_round_trips(client, rng, 1, 200)
    client.drop()


def vanish_mid_frame(port, path, deadline, rng, notes):
    client = open_client(port, path, deadline)
    client.send_raw(half_a_frame(rng))
    client.drop()


def vanish_mid_frame_reset(port, path, deadline, rng, notes):
    client = open_client(port, path, deadline)
    client.send_raw(half_a_frame(rng))
    client.abort()


# -- program, byte mode (--binary wsgate-testcmd cat) ---------------------------------------

def binary_cat(port, path, deadline, rng, notes):
    """Reads are messages in byte mode, so the bytes are compared, not the message boundaries."""
    client = open_client(port, path, deadline)
    for _ in range(rng.randint(1, 4)):
        data = rng.randbytes(rng.randint(1, 30000))
        client.send_binary(data)
        received = bytearray()
        while len(received) < len(data):
            opcode, payload = client.read_message()
            if opcode != OP_BINARY:
                raise Failure(f"opcode {opcode} in byte mode after {len(received)} of {len(data)} bytes")
            received += payload
        if received != data:
            raise Failure(f"cat returned different bytes ({len(received)} for {len(data)})")
    client.close_handshake(1000)


# -- built-in echo (--echo) ---------------------------------------------------------------------

def builtin_echo(port, path, deadline, rng, notes):
    """Text, binary, a fragmented message (echoed whole) and a ping (its pong)."""
    client = open_client(port, path, deadline)
    text_round_trips(client, rng, rng.randint(1, 3))
    data = rng.randbytes(rng.randint(0, 20000))
    client.send_binary(data)
    client.expect_message(OP_BINARY, data)
    parts = [random_text(rng, 300).encode() for _ in range(3)]
    client.send_frame(OP_TEXT, parts[0], fin=False)
    client.send_frame(OP_CONTINUATION, parts[1], fin=False)
    client.send_frame(OP_CONTINUATION, parts[2], fin=True)
    client.expect_message(OP_TEXT, b"".join(parts))
    ping = rng.randbytes(rng.randint(0, 125))
    client.send_frame(OP_PING, ping)
    fin, opcode, payload = client.read_frame()
    if (fin, opcode, payload) != (True, OP_PONG, ping):
        raise Failure(f"expected a pong with the ping's {len(ping)} bytes, got opcode {opcode}")
    client.close_handshake(1000)


def stop_reading_sender(port, path, deadline, rng, notes):
    """Sends 64 KiB messages and reads no echo until wsgate stops reading it (backpressure), then resets."""
    client = open_client(port, path, deadline)
    frame = encode_frame(OP_BINARY, rng.randbytes(65536))
    client.sock.settimeout(0.5)
    sent = 0
    try:
        while sent < 32 << 20:
            client.sock.sendall(frame)
            sent += len(frame)
    except OSError:
        pass  # the timeout: wsgate stopped reading us, as it should
    if sent >= 32 << 20:
        raise Failure("wsgate took 32 MiB from a client that reads nothing (no backpressure)")
    client.abort()


def vanish_mid_handshake(port, path, deadline, rng, notes):
    client = Client(port, deadline, path)
    head = client.request_head("dGhlIHNhbXBsZSBub25jZQ==")
    client.send_raw(head[: rng.randint(1, len(head) - 1)])
    client.drop()


# -- TCP backend (--tcp to backend.EchoBackend, line mode) ------------------------------------

def tcp_backend_resets(port, path, deadline, rng, notes):
    client = open_client(port, path, deadline)
    text_round_trips(client, rng, 1, 200)
    client.send_text(backend.RESET_LINE.decode())
    client.expect_close({1011})
    client.answer_close()


def tcp_backend_closes(port, path, deadline, rng, notes):
    """The backend's last answer arrives before its close 1000."""
    client = open_client(port, path, deadline)
    last = random_text(rng, 200)
    client.send_text(last)
    client.send_text(backend.BYE_LINE.decode())
    client.expect_message(OP_TEXT, last.encode())
    client.expect_close({1000})
    client.answer_close()


# -- programs that misbehave (--dir with the FAULT_PROGRAMS scripts) --------------------------

def program_crashes(port, path, deadline, rng, notes):
    client = open_client(port, "/crash", deadline)
    client.expect_close({1011}, reason_prefix="signal 11")
    client.answer_close()


def program_exits_early(port, path, deadline, rng, notes):
    client = open_client(port, "/exit3", deadline)
    client.expect_close({1011}, reason_prefix="exit status 3")
    client.answer_close()


def program_says_bye(port, path, deadline, rng, notes):
    client = open_client(port, "/bye", deadline)
    client.expect_message(OP_TEXT, b"bye")
    client.expect_close({1000})
    client.answer_close()


def program_ignores_term(port, path, deadline, rng, notes):
    """The client closes cleanly; the program survives SIGINT and SIGTERM, so wsgate must SIGKILL it."""
    client = open_client(port, "/ignore-term", deadline)
    client.expect_message(OP_TEXT, b"ready")
    client.close_handshake(1000)


def program_ignores_term_client_vanishes(port, path, deadline, rng, notes):
    client = open_client(port, "/ignore-term", deadline)
    client.expect_message(OP_TEXT, b"ready")
    client.abort()


def program_forks(port, path, deadline, rng, notes):
    """The program's grandchild (sleep 1000 in its group) must go with it."""
    client = open_client(port, "/grandchild", deadline)
    read_grandchild(client, notes)
    client.close_handshake(1000)


def program_forks_and_exits(port, path, deadline, rng, notes):
    """The program exits 0 at once while its grandchild still holds stdout: close 1000, grandchild killed."""
    client = open_client(port, "/grandchild-exit", deadline)
    read_grandchild(client, notes)
    client.expect_close({1000})
    client.answer_close()


def program_floods_client_stops_reading(port, path, deadline, rng, notes):
    """Never reads a flooding program's output, then resets: backpressure, then the kill sequence."""
    client = open_client(port, "/flood", deadline)
    client.sock.settimeout(client.remaining(rng.uniform(0.3, 1.5)))
    try:
        client.sock.recv(1, 0x2)  # MSG_PEEK: wait without reading, until the timeout
    except OSError:
        pass
    client.abort()


def program_floods_client_reads_all(port, path, deadline, rng, notes):
    client = open_client(port, "/flood-small", deadline)
    lines = FLOOD_SMALL_BYTES // len(FLOOD_LINE + "\n")
    for index in range(lines):
        opcode, payload = client.read_message()
        if opcode != OP_TEXT or payload != FLOOD_LINE.encode():
            raise Failure(f"flood line {index} of {lines}: opcode {opcode}, {payload[:20]!r}")
    client.expect_close({1000})
    client.answer_close()


def all_scenarios():
    """The mix, per instance kind: normal traffic weighs more than each fault."""
    return [
        Scenario("line", "echo", line_echo, weight=4),
        Scenario("line", "no-close-frame", no_close_frame, injected=True),
        Scenario("line", "vanish-mid-frame", vanish_mid_frame, injected=True),
        Scenario("binary", "cat", binary_cat, weight=4),
        Scenario("binary", "vanish-mid-frame-reset", vanish_mid_frame_reset, injected=True),
        Scenario("echo", "echo", builtin_echo, weight=4),
        Scenario("echo", "stop-reading", stop_reading_sender, injected=True, most_in_flight=1),
        Scenario("echo", "vanish-mid-frame", vanish_mid_frame, injected=True),
        Scenario("echo", "vanish-mid-handshake", vanish_mid_handshake, injected=True),
        Scenario("tcp", "echo", line_echo, weight=4),
        Scenario("tcp", "backend-resets", tcp_backend_resets, injected=True),
        Scenario("tcp", "backend-closes", tcp_backend_closes, injected=True),
        Scenario("tcp", "vanish-mid-frame-reset", vanish_mid_frame_reset, injected=True),
        Scenario("faults", "crash", program_crashes, injected=True),
        Scenario("faults", "exit-early", program_exits_early, injected=True),
        Scenario("faults", "say-bye-exit", program_says_bye, injected=True),
        Scenario("faults", "ignore-term", program_ignores_term, injected=True),
        Scenario("faults", "ignore-term-vanish", program_ignores_term_client_vanishes, injected=True),
        Scenario("faults", "fork-grandchild", program_forks, injected=True),
        Scenario("faults", "fork-grandchild-exit", program_forks_and_exits, injected=True),
        Scenario("faults", "flood-stop-reading", program_floods_client_stops_reading, injected=True,
                 most_in_flight=1),
        Scenario("faults", "flood-read-all", program_floods_client_reads_all, most_in_flight=1),
    ]
