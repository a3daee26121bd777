// wsgate-bench: load generator for WebSocket gateways (the echo scenario for now).
//
//   wsgate-bench echo --port=PORT [--host=127.0.0.1] [--path=/] [--connections=C]
//                     [--size=BYTES] [--seconds=D] [--binary]
//
// C connections each keep one message of BYTES in flight for D seconds. Prints msg/s and
// round-trip percentiles; exits 1 if any reply was wrong or missing.
import WSGateCore
import WSGateEventLoop
import WSGatePosix

var options: [String: String] = [:]
var arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.first == "echo" else {
    StandardStreams.printError("usage: wsgate-bench echo --port=PORT [--connections=C] [--size=BYTES] [--seconds=D] [--binary]\n")
    exitProcess(2)
}
arguments.removeFirst()
for argument in arguments {
    let parts = argument.drop { $0 == "-" }.split(separator: "=", maxSplits: 1)
    options[String(parts[0])] = parts.count > 1 ? String(parts[1]) : "true"
}
let host = options["host"] ?? "127.0.0.1"
guard let port = options["port"].flatMap({ Int($0) }) else {
    StandardStreams.printError("wsgate-bench: --port is required\n")
    exitProcess(2)
}
let connections = options["connections"].flatMap { Int($0) } ?? 1
let size = options["size"].flatMap { Int($0) } ?? 64
let seconds = options["seconds"].flatMap { Double($0) } ?? 5
let binary = options["binary"] == "true"
let path = options["path"] ?? "/"

ProcessSignals.ignoreBrokenPipe()
let loop = try EventLoop()
guard let address = try SocketAddress.resolve(host: host, port: port).first else {
    StandardStreams.printError("wsgate-bench: cannot resolve \(host)\n")
    exitProcess(2)
}
var finished: [EchoClient] = []
var clients: [EchoClient] = []
let start = SystemClock.monotonicNow()
let deadline = start.adding(milliseconds: Int(seconds * 1000))
for index in 0..<connections {
    let (socket, connected) = try Socket.connect(to: address)
    if !connected {
        guard Socket.waitUntilWritable(socket, timeoutMilliseconds: 5000), Socket.pendingError(socket) == nil else {
            StandardStreams.printError("wsgate-bench: cannot connect to \(address)\n")
            exitProcess(1)
        }
    }
    try? Socket.setNoDelay(socket)
    let client = EchoClient(transport: StreamTransport(loop: loop, descriptor: socket), payloadSize: size,
                            binary: binary, deadline: deadline, seed: UInt32(index)) { client in
        finished.append(client)
        if finished.count == connections { loop.stop() }
    }
    clients.append(client)
    client.start(host: "\(host):\(port)", path: path)
}
try loop.run()
let elapsed = Double(start.milliseconds(until: SystemClock.monotonicNow())) / 1000
var latencies = LatencyRecorder()
var errors: [String] = []
for client in clients {
    latencies.merge(client.latencies)
    errors += client.errors
}
let messages = latencies.samples.count
let rate = Int(Double(messages) / elapsed)
print("echo: \(connections) connection(s), \(size)-byte \(binary ? "binary" : "text") messages, \(String(elapsed)) s")
print("echo: \(messages) round trips, \(rate) msg/s; round trip \(latencies.summary)")
if !errors.isEmpty {
    print("echo: \(errors.count) ERROR(S): \(Set(errors).sorted().prefix(5).joined(separator: "; "))")
    exitProcess(1)
}
