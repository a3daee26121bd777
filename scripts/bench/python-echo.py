"""The Python reference echo server of scripts/bench.sh's deflate* scenarios.

Every message back to its sender as it came, with the `websockets` library (asyncio) and its
defaults, among them permessage-deflate: websockets 10 answers a browser's offer with 12-bit
windows both ways and memLevel 5, context kept, and compresses every message. Pings are
off, as in the other servers of the benchmark.

    /usr/bin/python3 scripts/bench/python-echo.py PORT

Needs Debian's python3-websockets. Listens on 127.0.0.1:PORT; exits on SIGTERM.
"""
import asyncio
import signal
import sys

import websockets


async def echo(websocket, *_path):
    async for message in websocket:
        await websocket.send(message)


async def main(port):
    stop = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set_result, None)
    async with websockets.serve(echo, "127.0.0.1", port, ping_interval=None):
        await stop


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python-echo.py PORT")
    asyncio.run(main(int(sys.argv[1])))
