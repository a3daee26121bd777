import Glibc
public import WSGatePosix

/// A loopback TCP listener a harness test owns (127.0.0.1, port chosen by the kernel).
///
/// Why it exists: socket-backend tests need a real TCP peer to connect to, refuse or stall,
/// without a fixed port and without leaving the machine.
public final class LoopbackListener {
    public let descriptor: FileDescriptor
    public let address: SocketAddress

    /// With `backlog` 0, one connection fills the accept queue and the next SYN is dropped
    /// (its connect hangs): how tests make a backend that never answers.
    public init(backlog: Int32 = 16) throws {
        var options = Socket.ListenOptions()
        options.backlog = backlog
        descriptor = try Socket.listen(on: SocketAddress(ipLiteral: "127.0.0.1", port: 0)!, options: options)
        guard let bound = try Socket.localAddress(descriptor) else { throw TestFailure("no local address") }
        address = bound
    }

    deinit { descriptor.close() }

    /// Accepts the connection the kernel has queued (waiting for it to be queued, bounded).
    public func accept() throws -> PeerSocket {
        guard Self.waitReadable(descriptor.rawValue) else { throw TestFailure("no connection to accept") }
        guard case .processed(let (socket, _)) = try Socket.accept(descriptor) else { throw TestFailure("accept: EAGAIN") }
        return PeerSocket(socket)
    }

    /// Fills the accept queue of a listener made with backlog 0; keep the result open.
    public func fillAcceptQueue() throws -> FileDescriptor {
        let (filler, _) = try Socket.connect(to: address)
        guard Socket.waitUntilWritable(filler, timeoutMilliseconds: 10_000) else { throw TestFailure("filler did not connect") }
        return filler
    }

    /// A port nobody listens on: bound once by the kernel, then released.
    public static func refusedAddress() throws -> SocketAddress {
        try LoopbackListener().address
    }

    /// `true` once `raw` is readable, waiting for it up to `milliseconds`: a wait for an event
    /// the kernel reports, never a fixed delay.
    public static func waitReadable(_ raw: Int32, upTo milliseconds: Int32 = 10_000) -> Bool {
        var poller = pollfd(fd: raw, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, milliseconds) == 1
    }
}
