import WSGateEventLoop
import WSGatePosix

/// `tcp-echo`: the fast TCP echo backend the `--tcp` scenarios and the TCP ceiling run against.
///
/// Why it exists: a gateway-to-socket benchmark must not be limited by its backend. This one
/// runs on the project's epoll loop, echoes whatever it reads without parsing it, applies
/// backpressure (stops reading while the peer is not reading its echoes), and on the peer's
/// EOF sends what is left and closes. It runs until killed.
///
/// - Warning: loop-confined.
final class TCPEchoServer: IOHandler {
    private let loop: EventLoop
    private let listener: FileDescriptor
    private var registration: Registration?

    init(loop: EventLoop, listener: FileDescriptor) {
        self.loop = loop
        self.listener = listener
    }

    static func run(_ options: BenchOptions) throws(BenchError) -> Int32 {
        let limit = FileLimit.raiseToHardLimit()
        let host = options.string("host", default: "127.0.0.1")
        let port = try options.port()
        let server: TCPEchoServer
        let loop: EventLoop
        do {
            guard let address = try SocketAddress.resolve(host: host, port: port).first else {
                throw BenchError.setup("cannot resolve \(host)")
            }
            var listenOptions = Socket.ListenOptions()
            listenOptions.backlog = 4096
            let listener = try Socket.listen(on: address, options: listenOptions)
            loop = try EventLoop()
            server = TCPEchoServer(loop: loop, listener: listener)
            server.registration = try loop.register(listener, interest: .read, handler: server)
            StandardStreams.printOut("tcp-echo: listening on \(address) (descriptor limit \(limit))\n")
            ProcessSignals.ignoreBrokenPipe()
            try loop.run()
        } catch let error as BenchError {
            throw error
        } catch {
            throw .setup("tcp-echo: \(error)")
        }
        return 0
    }

    func handle(_ events: IOEvents) {
        // Accept everything pending; a full descriptor table only delays (the listener stays ready).
        for _ in 0 ..< 256 {
            let accepted: IOResult<(FileDescriptor, SocketAddress?)>
            do {
                accepted = try Socket.accept(listener)
            } catch {
                StandardStreams.printError("tcp-echo: accept: \(error)\n")
                return
            }
            guard case .processed(let (socket, _)) = accepted else { return }
            try? Socket.setNoDelay(socket)
            let connection = TCPEchoConnection(transport: StreamTransport(loop: loop, descriptor: socket))
            connection.start()
        }
    }
}
