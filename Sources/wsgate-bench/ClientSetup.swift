import WSGateEventLoop
import WSGatePosix
import WSGateTLS

/// What every connection of one client run shares: the loop, the server's address, the
/// protocol settings, the payload pattern and the counters; and the factory for connections.
///
/// Why it exists: the scenarios differ in how many connections they open and when, not in how
/// a connection is made; this keeps that in one place (and reads the common options once).
struct ClientSetup {
    let loop: EventLoop
    let metrics = RunMetrics()
    let pattern: PayloadPattern
    let messageSize: Int
    let binary: Bool
    /// Plain TCP instead of WebSocket (the ceiling measurement).
    let plainTCP: Bool
    let stallMilliseconds: Int
    /// `--compress`: permessage-deflate on every connection.
    let compress: Bool
    private let settings: WebSocketClient.Settings

    init(options: BenchOptions, defaultSize: Int, plainTCP: Bool = false) throws(BenchError) {
        let host = options.string("host", default: "127.0.0.1")
        let port = try options.port()
        let address: SocketAddress
        do {
            guard let first = try SocketAddress.resolve(host: host, port: port).first else {
                throw BenchError.setup("cannot resolve \(host)")
            }
            address = first
        } catch let error as BenchError {
            throw error
        } catch {
            throw .setup("cannot resolve \(host): \(error)")
        }
        do {
            loop = try EventLoop()
        } catch {
            throw .setup("event loop: \(error)")
        }
        messageSize = try options.int("size", default: defaultSize, range: 1...(64 << 20))
        let binaryOption = try options.bool("binary")
        binary = plainTCP || binaryOption
        self.plainTCP = plainTCP
        stallMilliseconds = try options.milliseconds("stall", defaultSeconds: 5)
        let payloadName = options.string("payload", default: PayloadPattern.Kind.random.rawValue)
        guard let payload = PayloadPattern.Kind(rawValue: payloadName) else {
            throw .usage("wsgate-bench: --payload=\(payloadName): use random or json\n")
        }
        if payload == .json {
            guard !binary else { throw .usage("wsgate-bench: --payload=json is text: drop --binary\n") }
            let sizes = PayloadPattern.smallestJSONMessage...PayloadPattern.largestJSONMessage
            guard sizes.contains(messageSize) else {
                throw .usage("wsgate-bench: --payload=json wants --size in \(sizes.lowerBound)...\(sizes.upperBound)\n")
            }
        }
        pattern = PayloadPattern(messageSize: messageSize, text: !binary, kind: payload)
        compress = try options.bool("compress")
        let path = options.string("path", default: "/")
        let subprotocol = options.string("protocol", default: "")
        var tls: TLSClientContext?
        if try options.bool("tls") {
            do {
                tls = try TLSClientContext()
            } catch {
                throw .setup("TLS: \(error)")
            }
        }
        settings = WebSocketClient.Settings(
            loop: loop, address: address, host: address.isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)",
            path: path, subprotocol: subprotocol.isEmpty ? nil : subprotocol, binary: binary,
            timeoutMilliseconds: stallMilliseconds, tls: tls, compress: compress, metrics: metrics)
    }

    /// A new, not yet started connection number `index`.
    func makeClient(_ index: Int, plan: EchoClient.Plan) -> EchoClient {
        let channel: any MessageChannel = plainTCP
            ? TCPChannel(loop: loop, address: settings.address, timeoutMilliseconds: stallMilliseconds)
            : WebSocketClient(settings: settings, seed: UInt32(truncatingIfNeeded: index))
        return EchoClient(channel: channel, pattern: pattern, first: index &* 37, plan: plan, metrics: metrics)
    }

    /// A new, not yet started WebSocket connection number `index`, for a workload of its own.
    func makeWebSocket(_ index: Int) -> WebSocketClient {
        WebSocketClient(settings: settings, seed: UInt32(truncatingIfNeeded: index))
    }

    /// Runs the loop, watched for stalls, until the scenario stops it.
    func run(watching watchdog: StallWatchdog) throws(BenchError) {
        watchdog.start()
        do {
            try loop.run()
        } catch {
            throw .setup("event loop: \(error)")
        }
    }

    /// `64-byte text` / `65536-byte binary`.
    var messageDescription: String {
        "\(messageSize)-byte \(plainTCP ? "TCP" : binary ? "binary" : "text")\(compress ? " compressed" : "")"
    }
}
