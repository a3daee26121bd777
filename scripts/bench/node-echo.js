// The Node.js reference echo server of scripts/bench.sh's deflate* scenarios: every message
// back to its sender as it came (text as text), with the `ws` library and permessage-deflate
// on with its defaults (`perMessageDeflate: true`: 15-bit windows, context kept both ways, a
// 1,024-byte threshold, so 4 KiB messages go out compressed; zlib runs on libuv's thread pool).
//
//   NODE_PATH=/usr/share/nodejs node scripts/bench/node-echo.js PORT
//
// Needs Debian's nodejs and node-ws. Listens on 127.0.0.1:PORT; exits when killed.
'use strict';
const { WebSocketServer } = require('ws');

const port = process.argv[2];
if (!port) {
    console.error('usage: node node-echo.js PORT');
    process.exit(2);
}

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(port), perMessageDeflate: true });
wss.on('connection', (client) => {
    client.on('message', (data, isBinary) => client.send(data, { binary: isBinary }));
    client.on('error', () => {});
});

process.on('SIGTERM', () => process.exit(0));
