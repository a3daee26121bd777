public import WSGateEventLoop
public import WSGatePosix

/// Connects to a socket backend without blocking the loop: each address in turn, under one
/// deadline.
///
/// Why it exists: a backend that refuses, is unreachable or does not answer gets HTTP 502
/// *before* the 101 (websockify answers 101 and then closes 1011; docs/behaviour.md,
/// 'Socket backends'). So the connect
/// must finish while the client's upgrade waits, on the loop, next to other connections, with
/// `--connect-timeout` as the bound. A name with several addresses (IPv6 and IPv4) is tried
/// address by address within that time.
///
/// - Warning: loop-confined.
public final class SocketConnector: IOHandler {
    private let loop: EventLoop
    private var remaining: [SocketAddress]
    private var completion: ((Result<(FileDescriptor, SocketAddress), IOError>) -> Void)?
    private var socket: FileDescriptor?
    private var current: SocketAddress?
    private var registration: Registration?
    private var timer: TimerID?
    private var lastError = IOError(errno: IOError.Code.connectionRefused, function: "connect")

    /// Starts connecting; `completion` is called exactly once on `loop` (unless cancelled) with
    /// the connected socket (non-blocking, close-on-exec, TCP_NODELAY) or the last error.
    /// `timeoutMilliseconds` 0 means no deadline.
    public init(addresses: [SocketAddress], timeoutMilliseconds: Int, loop: EventLoop,
                completion: @escaping (Result<(FileDescriptor, SocketAddress), IOError>) -> Void) {
        self.loop = loop
        remaining = addresses
        self.completion = completion
        if timeoutMilliseconds > 0 {
            timer = loop.scheduleTimer(afterMilliseconds: timeoutMilliseconds) { [weak self] in
                self?.timer = nil
                self?.fail(IOError(errno: IOError.Code.timedOut, function: "connect (after \(timeoutMilliseconds) ms)"))
            }
        }
        tryNext()
    }

    /// Gives up (the client left); the completion is not called.
    public func cancel() {
        completion = nil
        cleanUp()
    }

    private func tryNext() {
        guard completion != nil else { return }
        guard !remaining.isEmpty else {
            fail(lastError)
            return
        }
        let address = remaining.removeFirst()
        current = address
        do {
            let (fd, connected) = try Socket.connect(to: address)
            socket = fd
            if connected {
                succeed()
            } else {
                registration = try loop.register(fd, interest: .write, handler: self)
            }
        } catch {
            lastError = error
            closeSocket()
            tryNext()
        }
    }

    public func handle(_ events: IOEvents) {
        guard let socket else { return }
        if let error = Socket.pendingError(socket) {
            lastError = error
            closeSocket()
            tryNext()
        } else {
            succeed()
        }
    }

    private func succeed() {
        guard let socket, let current, let completion else { return }
        if let registration { loop.deregister(registration) }
        registration = nil
        self.socket = nil
        if let timer { loop.cancelTimer(timer) }
        timer = nil
        self.completion = nil
        if !current.isUnix { try? Socket.setNoDelay(socket) }
        completion(.success((socket, current)))
    }

    private func fail(_ error: IOError) {
        guard let completion else { return }
        self.completion = nil
        cleanUp()
        completion(.failure(error))
    }

    private func cleanUp() {
        closeSocket()
        if let timer { loop.cancelTimer(timer) }
        timer = nil
    }

    private func closeSocket() {
        if let registration { loop.deregister(registration) }
        registration = nil
        socket?.close()
        socket = nil
    }
}

@available(*, unavailable)
extension SocketConnector: Sendable {}
