// The reference room server of scripts/bench.sh's fan-out scenarios: what a wsgate
// `--broadcast` room does, written the way the `ws` library's broadcast tutorial does it.
// It spawns one backend program, sends each of its stdout lines to every connected client
// with `wss.clients.forEach(c => c.send(line))`, and writes each client message to the
// program's stdin as a line (so the bench client's "go" reaches the emitter as with wsgate).
// No slow-client policy: `ws` buffers without bound for a client that does not read.
//
//   NODE_PATH=/usr/share/nodejs node scripts/bench/node-room.js PORT PROGRAM [ARG...]
//
// Needs Debian's nodejs and node-ws. Listens on 127.0.0.1:PORT; exits when killed.
'use strict';
const { spawn } = require('child_process');
const readline = require('readline');
const { WebSocketServer, WebSocket } = require('ws');

const [port, program, ...args] = process.argv.slice(2);
if (!port || !program) {
    console.error('usage: node node-room.js PORT PROGRAM [ARG...]');
    process.exit(2);
}

const backend = spawn(program, args, { stdio: ['pipe', 'pipe', 'inherit'] });
backend.on('exit', (code, signal) => console.error(`backend ended: ${signal || code}`));
backend.stdin.on('error', () => {});

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(port) });
wss.on('connection', (client) => {
    client.on('message', (data) => backend.stdin.write(data.toString() + '\n'));
    client.on('error', () => {});
});

readline.createInterface({ input: backend.stdout }).on('line', (line) => {
    wss.clients.forEach((client) => {
        if (client.readyState === WebSocket.OPEN) client.send(line);
    });
});

process.on('SIGTERM', () => process.exit(0));
