#!/usr/bin/python3
"""A python3-websockets client (compression on by default) for CompressionInteropTests.

    websockets_client.py echo PORT       200 text and 20 binary messages must come back exactly
    websockets_client.py lines PORT      lines in several messages must come back one by one
    websockets_client.py count PORT      one 64 KiB JSON message through a byte-counting proxy

Each mode first prints `extensions: <Sec-WebSocket-Extensions of the response>` and
`negotiated: <the client's extension objects>`, then one summary line; a mismatch exits 1.
"""

import asyncio
import json
import random
import sys

import websockets

LIMIT = 30  # seconds for any one wait


def json_like(rng, size):
    """A JSON-like text of exactly `size` bytes (ASCII)."""
    records, length = [], 0
    while length < size:
        record = json.dumps({"id": rng.randrange(10**6), "name": f"sensor-{rng.randrange(100)}",
                             "value": round(rng.uniform(-1000, 1000), 3), "ok": rng.random() < 0.5})
        records.append(record)
        length += len(record) + 1
    return "\n".join(records)[:size]


def repetitive_json(size):
    """A JSON array of similar records, `size` bytes: what a feed of readings looks like."""
    records = (f'{{"id":{i},"name":"sensor-{i % 16}","status":"ok","value":{i * 7 % 1000}}}'
               for i in range(size // 40 + 1))
    return ("[" + ",\n".join(records))[:size - 1] + "]"


def sizes(rng, count):
    """`count` sizes from 10 B to 64 KiB, both ends included, spread on a log scale."""
    return [10, 65536] + [int(10 * 6553.6 ** rng.random()) for _ in range(count - 2)]


async def open_ws(port):
    ws = await websockets.connect(f"ws://127.0.0.1:{port}/")
    print("extensions:", ws.response_headers.get("Sec-WebSocket-Extensions"), flush=True)
    print("negotiated:", ws.extensions, flush=True)
    return ws


async def echo(port):
    rng = random.Random(7692)
    ws = await open_ws(port)
    texts = [json_like(rng, size) for size in sizes(rng, 200)]
    blobs = [rng.randbytes(n) for n in (0, 1, 200, 5000)] + [bytes(range(256)) * (n // 256) for n in
                                                             rng.choices(range(256, 65537), k=16)]
    exact = 0
    for message in texts + blobs:
        await ws.send(message)
        reply = await asyncio.wait_for(ws.recv(), LIMIT)
        if reply != message:
            sys.exit(f"message {exact + 1} ({len(message)} bytes) came back as {len(reply)} different bytes")
        exact += 1
    await ws.close()
    print(f"round trips: {exact} exact ({len(texts)} text, {len(blobs)} binary)")


async def lines(port):
    ws = await open_ws(port)
    long = "all work and no play " * 50
    sent = ["one", f"two\nthree\n{long}", "{\"four\": 4}\nfive"]
    expected = "\n".join(sent).split("\n")
    for message in sent:
        await ws.send(message)
    got = [await asyncio.wait_for(ws.recv(), LIMIT) for _ in expected]
    await ws.close()
    if got != expected:
        sys.exit(f"lines came back as {[line[:30] for line in got]}")
    print(f"lines: {len(got)} exact")


async def count(port):
    """Relays one connection to the gateway, counting its bytes both ways, until both close."""
    counted = {"up": 0, "down": 0}
    done = asyncio.Event()

    async def pump(reader, writer, direction):
        while data := await reader.read(65536):
            counted[direction] += len(data)
            writer.write(data)
            await writer.drain()
        writer.close()

    async def relay(client_reader, client_writer):
        gateway_reader, gateway_writer = await asyncio.open_connection("127.0.0.1", port)
        await asyncio.gather(pump(client_reader, gateway_writer, "up"), pump(gateway_reader, client_writer, "down"))
        done.set()

    proxy = await asyncio.start_server(relay, "127.0.0.1", 0)
    ws = await open_ws(proxy.sockets[0].getsockname()[1])
    message = repetitive_json(65536)
    await ws.send(message)
    if await asyncio.wait_for(ws.recv(), LIMIT) != message:
        sys.exit("the 64 KiB message came back different")
    await ws.close()
    await asyncio.wait_for(done.wait(), LIMIT)
    proxy.close()
    print(f"bytes: up {counted['up']} down {counted['down']}")


if __name__ == "__main__":
    mode, port = sys.argv[1], int(sys.argv[2])
    asyncio.run({"echo": echo, "lines": lines, "count": count}[mode](port))
