"""A minimal RFC 6455 client on raw sockets, for the soak driver.

Why it exists: the soak must send exactly the bytes a faulty client would (half a frame, a
reset instead of a close frame, a request head cut short), which no library client lets us do,
and the driver uses only the standard library. It does what the driver needs and no more: the
upgrade, masked frames, reading frames and messages against a deadline, the closing handshake.
Every blocking call is bounded by the client's deadline, so a stalled server fails a scenario
instead of hanging the run.
"""
import base64
import hashlib
import os
import socket
import struct
import threading
import time

# RFC 6455 §1.3: the GUID appended to the key for Sec-WebSocket-Accept.
ACCEPT_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

OP_CONTINUATION, OP_TEXT, OP_BINARY = 0x0, 0x1, 0x2
OP_CLOSE, OP_PING, OP_PONG = 0x8, 0x9, 0xA


class Failure(Exception):
    """The server did something a correct server would not (wrong data, HTTP error, no reply in time)."""


def encode_frame(opcode, payload, fin=True, mask=True):
    """One frame; client frames are masked (RFC 6455 §5.3)."""
    first = (0x80 if fin else 0) | opcode
    length = len(payload)
    mask_bit = 0x80 if mask else 0
    if length < 126:
        head = struct.pack("!BB", first, mask_bit | length)
    elif length < 65536:
        head = struct.pack("!BBH", first, mask_bit | 126, length)
    else:
        head = struct.pack("!BBQ", first, mask_bit | 127, length)
    if not mask:
        return head + payload
    key = os.urandom(4)
    return head + key + apply_mask(payload, key)


def apply_mask(payload, key):
    """XOR with the 4-byte key (RFC 6455 §5.3), fast enough for payloads of some KiB."""
    if not payload:
        return b""
    repeated = (key * (len(payload) // 4 + 1))[: len(payload)]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")).to_bytes(len(payload), "big")


def close_payload(code, reason=b""):
    return struct.pack("!H", code) + reason


def expected_accept(key):
    return base64.b64encode(hashlib.sha1(key.encode() + ACCEPT_GUID).digest()).decode()


# The clients each thread opened since its last abort_opened(): a scenario that fails half-way
# leaves its socket open, and the driver must not leak descriptors itself.
_opened = threading.local()


def abort_opened():
    """Resets every client this thread opened and has not closed (after a failed scenario)."""
    for client in getattr(_opened, "clients", []):
        if client.sock.fileno() != -1:
            client.abort()
    _opened.clients = []


class Client:
    """One client connection with an absolute deadline (time.monotonic()) for everything it does."""

    def __init__(self, port, deadline, path="/"):
        self.port = port
        self.path = path
        self.deadline = deadline
        self.buffer = bytearray()
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=self.remaining())
        if not hasattr(_opened, "clients"):
            _opened.clients = []
        _opened.clients.append(self)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    # -- time ---------------------------------------------------------------------------------

    def remaining(self, limit=None):
        """Seconds left before the deadline (capped by limit); Failure once it has passed."""
        left = self.deadline - time.monotonic()
        if limit is not None:
            left = min(left, limit)
        if left <= 0:
            raise Failure("deadline passed")
        return left

    # -- handshake ----------------------------------------------------------------------------

    def request_head(self, key):
        return (f"GET {self.path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                "Origin: http://127.0.0.1\r\n\r\n").encode()

    def handshake(self):
        """Sends the upgrade and checks the 101 and its Sec-WebSocket-Accept."""
        key = base64.b64encode(os.urandom(16)).decode()
        self.send_raw(self.request_head(key))
        head = self.read_head()
        status_line, _, rest = head.partition("\r\n")
        if not status_line.startswith("HTTP/1.1 101"):
            raise Failure(f"handshake answered {status_line!r}")
        headers = {}
        for line in rest.split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("sec-websocket-accept") != expected_accept(key):
            raise Failure("wrong Sec-WebSocket-Accept")

    def read_head(self):
        while b"\r\n\r\n" not in self.buffer:
            if len(self.buffer) > 16384:
                raise Failure("response head too long")
            self.fill("the response head")
        end = self.buffer.index(b"\r\n\r\n") + 4
        head = bytes(self.buffer[:end]).decode("latin-1")
        del self.buffer[:end]
        return head

    # -- sending ------------------------------------------------------------------------------

    def send_raw(self, data):
        self.sock.settimeout(self.remaining())
        try:
            self.sock.sendall(data)
        except socket.timeout:
            raise Failure("send timed out") from None
        except OSError as error:
            raise Failure(f"send failed: {error}") from None

    def send_frame(self, opcode, payload, fin=True):
        self.send_raw(encode_frame(opcode, payload, fin=fin))

    def send_text(self, text):
        self.send_frame(OP_TEXT, text.encode())

    def send_binary(self, data):
        self.send_frame(OP_BINARY, data)

    # -- receiving ----------------------------------------------------------------------------

    def fill(self, waiting_for, limit=None):
        """Reads more bytes into the buffer; Failure on EOF, reset or timeout."""
        self.sock.settimeout(self.remaining(limit))
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            raise Failure(f"timed out waiting for {waiting_for}") from None
        except OSError as error:
            raise Failure(f"{error.strerror or error} while waiting for {waiting_for}") from None
        if not data:
            raise Failure(f"EOF while waiting for {waiting_for}")
        self.buffer += data

    def take(self, count, waiting_for, limit=None):
        while len(self.buffer) < count:
            self.fill(waiting_for, limit)
        data = bytes(self.buffer[:count])
        del self.buffer[:count]
        return data

    def read_frame(self, limit=None):
        """(fin, opcode, payload) of the next frame; server frames must not be masked."""
        first, second = self.take(2, "a frame header", limit)
        if second & 0x80:
            raise Failure("the server masked a frame")
        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", self.take(2, "a frame length", limit))
        elif length == 127:
            (length,) = struct.unpack("!Q", self.take(8, "a frame length", limit))
        return bool(first & 0x80), first & 0x0F, self.take(length, "a frame payload", limit)

    def read_message(self, limit=None):
        """(opcode, payload) of the next data message, or (OP_CLOSE, payload); pings are answered."""
        parts, opcode = [], None
        while True:
            fin, frame_opcode, payload = self.read_frame(limit)
            if frame_opcode == OP_PING:
                self.send_frame(OP_PONG, payload)
                continue
            if frame_opcode == OP_PONG:
                continue
            if frame_opcode == OP_CLOSE:
                return OP_CLOSE, payload
            if opcode is None:
                opcode = frame_opcode
            parts.append(payload)
            if fin:
                return opcode, b"".join(parts)

    def expect_message(self, opcode, payload, limit=None):
        got_opcode, got = self.read_message(limit)
        if got_opcode == OP_CLOSE:
            raise Failure(f"close {describe_close(got)} instead of a message")
        if (got_opcode, got) != (opcode, payload):
            raise Failure(f"expected {shorten(payload)} (opcode {opcode}), got {shorten(got)} (opcode {got_opcode})")

    def expect_close(self, codes, limit=None, reason_prefix=None):
        """Reads until the server's close frame (data messages before it are skipped); returns (code, reason)."""
        while True:
            opcode, payload = self.read_message(limit)
            if opcode == OP_CLOSE:
                code, reason = parse_close(payload)
                if code not in codes:
                    raise Failure(f"close {describe_close(payload)}, expected {sorted(codes)}")
                if reason_prefix is not None and not reason.startswith(reason_prefix):
                    raise Failure(f"close {describe_close(payload)}, expected reason {reason_prefix!r}")
                return code, reason

    def wait_eof(self, limit=None):
        """The server closes TCP after the closing handshake; bytes before EOF are a failure."""
        self.sock.settimeout(self.remaining(limit))
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            raise Failure("no EOF after the closing handshake") from None
        except ConnectionResetError:
            return  # a reset after the close frames still ends the connection
        if data:
            raise Failure(f"{len(data)} bytes after the close frame")

    def close_handshake(self, code=1000, limit=5.0):
        """Client-initiated close: sends `code`, expects it echoed, then EOF (RFC 6455 §7.1.1)."""
        self.send_frame(OP_CLOSE, close_payload(code))
        self.expect_close({code}, limit)
        self.wait_eof(limit)
        self.drop()

    def answer_close(self, limit=5.0):
        """Server-initiated close already read: answer it, then expect EOF."""
        self.send_frame(OP_CLOSE, close_payload(1000))
        self.wait_eof(limit)
        self.drop()

    # -- leaving ------------------------------------------------------------------------------

    def drop(self):
        """Closes the socket normally (FIN), without a close frame if none was sent."""
        try:
            self.sock.close()
        except OSError:
            pass

    def abort(self):
        """Closes with a reset (SO_LINGER 0): the peer sees ECONNRESET, not EOF."""
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.drop()


def parse_close(payload):
    if len(payload) < 2:
        return 1005, ""
    (code,) = struct.unpack("!H", payload[:2])
    return code, payload[2:].decode("utf-8", "replace")


def describe_close(payload):
    code, reason = parse_close(payload)
    return f"{code} {reason!r}" if reason else str(code)


def shorten(data, limit=40):
    text = repr(data[:limit])
    return text + (f"... ({len(data)} bytes)" if len(data) > limit else "")
