import WSGateCore
import WSGateEventLoop
import WSGatePosix

/// A non-blocking TCP connect on the loop, handing the socket over once connected.
///
/// Why it exists: the connect scenario times the whole cycle and runs dozens of connects at
/// once, so connecting must not block the loop (a blocking wait would serialize them and
/// measure the client). It registers for writability, then checks `SO_ERROR`.
///
/// - Warning: loop-confined.
final class Connector: IOHandler {
    private let loop: EventLoop
    private let address: SocketAddress
    private let timeoutMilliseconds: Int
    private var completion: ((Result<FileDescriptor, BenchError>) -> Void)?
    private var socket: FileDescriptor?
    private var registration: Registration?
    private var timer: TimerID?

    init(loop: EventLoop, address: SocketAddress, timeoutMilliseconds: Int,
         completion: @escaping (Result<FileDescriptor, BenchError>) -> Void) {
        self.loop = loop
        self.address = address
        self.timeoutMilliseconds = timeoutMilliseconds
        self.completion = completion
    }

    func start() {
        let socket: FileDescriptor
        let connected: Bool
        do {
            (socket, connected) = try Socket.connect(to: address)
        } catch {
            complete(.failure(.setup("connect: \(error)")))
            return
        }
        if connected {
            complete(.success(socket))
            return
        }
        self.socket = socket
        do {
            registration = try loop.register(socket, interest: .write, handler: self)
        } catch {
            socket.close()
            complete(.failure(.setup("register: \(error)")))
            return
        }
        timer = loop.scheduleTimer(afterMilliseconds: timeoutMilliseconds) { [weak self] in
            self?.finish(error: "connect: no answer within \(self?.timeoutMilliseconds ?? 0) ms")
        }
    }

    func handle(_ events: IOEvents) {
        if let socket, let error = Socket.pendingError(socket) {
            finish(error: "\(error)")
        } else {
            finish(error: nil)
        }
    }

    private func finish(error: String?) {
        guard let socket else { return }
        self.socket = nil
        if let registration { loop.deregister(registration) }
        registration = nil
        if let timer { loop.cancelTimer(timer) }
        timer = nil
        if let error {
            socket.close()
            complete(.failure(.setup(error)))
        } else {
            complete(.success(socket))
        }
    }

    private func complete(_ result: Result<FileDescriptor, BenchError>) {
        let completion = self.completion
        self.completion = nil
        completion?(result)
    }
}
