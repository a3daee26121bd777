"""The descriptor-table flood: a wsgate with a low descriptor limit, flooded until accept fails.

Why it exists: running out of descriptors (EMFILE) is what a connection flood does to a
gateway in production. wsgate must log it ("Cannot accept"), pause accepting instead of
spinning, keep serving the clients it has, and serve new ones once the flood is gone
(docs: README, 'Out of file descriptors'; the integration test
RobustnessTests.aFullDescriptorTableIsSurvived checks it once, the soak checks it round after
round). A round: a client is upgraded (the keeper); plain TCP connections are opened until the
log says "Cannot accept"; the keeper must still get its echo; the flood is reset; a new client
must be upgraded and echoed, retried against a deadline, never after a guessed sleep.
"""
import socket
import struct
import time

from wsclient import OP_TEXT, Client, Failure, abort_opened

CANNOT_ACCEPT = "Cannot accept"
FLOOD_CAP = 400  # far more than the instance's descriptor limit; the backlog holds the rest


class FloodRounds:
    def __init__(self, instance, round_seconds=20.0):
        self.instance = instance
        self.round_seconds = round_seconds
        self.rounds = 0
        self.passed = 0
        self.failures = []
        self.flood_sizes = []

    def run_round(self):
        """One round; its failure is recorded, never raised."""
        self.rounds += 1
        deadline = time.monotonic() + self.round_seconds
        flood = []
        try:
            log_offset = self.log_size()
            keeper = self.upgraded_client(deadline, "keeper")
            self.flood_until_full(flood, log_offset, deadline)
            self.echo(keeper, "served while the table is full")
            self.reset_all(flood)
            self.serve_a_new_client(deadline)
            keeper.close_handshake(1000)
            self.passed += 1
        except (Failure, OSError) as failure:
            self.failures.append(f"round {self.rounds}: {failure}")
        finally:
            self.reset_all(flood)
            abort_opened()  # the keeper and any client left open by a failed step

    def log_size(self):
        with open(self.instance.log_path, "rb") as log:
            return log.seek(0, 2)

    def log_says_full(self, offset):
        with open(self.instance.log_path, "rb") as log:
            log.seek(offset)
            return CANNOT_ACCEPT.encode() in log.read()

    def upgraded_client(self, deadline, role):
        client = Client(self.instance.port, deadline)
        try:
            client.handshake()
        except Failure as failure:
            client.abort()
            raise Failure(f"{role}: {failure}") from None
        return client

    def echo(self, client, what):
        client.send_text(what)
        client.expect_message(OP_TEXT, what.encode(), limit=5.0)

    def flood_until_full(self, flood, log_offset, deadline):
        """Opens connections until wsgate logs that it cannot accept (or the cap or deadline)."""
        while not self.log_says_full(log_offset):
            if time.monotonic() >= deadline:
                raise Failure(f"no '{CANNOT_ACCEPT}' line after {len(flood)} connections")
            if len(flood) < FLOOD_CAP:
                flood.append(socket.create_connection(("127.0.0.1", self.instance.port), timeout=2))
            else:
                time.sleep(0.01)  # the cap is reached: only the log is awaited now
        self.flood_sizes.append(len(flood))

    def reset_all(self, flood):
        for connection in flood:
            try:
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                connection.close()
            except OSError:
                pass
        flood.clear()

    def serve_a_new_client(self, deadline):
        """Once the flood is gone a new client must be served; attempts end by the round's deadline."""
        last = None
        while time.monotonic() < deadline:
            client = None
            try:
                client = Client(self.instance.port, min(deadline, time.monotonic() + 5.0))
                client.handshake()
                self.echo(client, "served after the flood")
                client.close_handshake(1000)
                return
            except (Failure, OSError) as failure:
                last = failure
                if client is not None:
                    client.abort()
        raise Failure(f"no client served after the flood: {last}")
