import WSGateConfig
import WSGateCore
import WSGateEventLoop
import WSGatePosix

/// A listening socket on one loop, accepting connections and handing each to the gateway.
///
/// Why it exists: accepting is where a full fd table shows up first (`EMFILE`). A listener that
/// keeps polling a socket it cannot accept from would spin at 100 % CPU, so on running out of
/// descriptors it logs, pauses for a moment, and tries again; everyone already connected keeps
/// being served.
///
/// - Warning: loop-confined.
final class Listener: IOHandler {
    let descriptor: FileDescriptor
    let address: SocketAddress
    private let loop: EventLoop
    /// Takes ownership of each accepted socket.
    var onAccept: (FileDescriptor, SocketAddress?) -> Void = { socket, _ in socket.close() }
    private let logger: Logger
    private var registration: Registration?
    private static let acceptsPerWakeup = 64
    private static let pauseAfterExhaustionMs = 100

    init(descriptor: FileDescriptor, address: SocketAddress, loop: EventLoop, logger: Logger) {
        self.descriptor = descriptor
        self.address = address
        self.loop = loop
        self.logger = logger
    }

    func start() throws(IOError) {
        registration = try loop.register(descriptor, interest: .read, handler: self)
    }

    /// Stops accepting and closes the socket.
    func close() {
        if let registration { loop.deregister(registration) }
        registration = nil
        descriptor.close()
    }

    func handle(_ events: IOEvents) {
        for _ in 0..<Self.acceptsPerWakeup {
            do {
                switch try Socket.accept(descriptor) {
                case .wouldBlock:
                    return
                case .processed(let (socket, peer)):
                    onAccept(socket, peer)
                }
            } catch {
                if Self.isResourceExhaustion(error) {
                    logger.log(.error, "server", [], "Cannot accept on \(address): \(error); pausing accepts for \(Self.pauseAfterExhaustionMs) ms")
                    pause()
                    return
                }
                // ECONNABORTED, EPROTO and the like concern one connection only.
                logger.log(.debug, "server", [], "accept on \(address) failed: \(error)")
            }
        }
    }

    private func pause() {
        guard let registration else { return }
        loop.setInterest([], for: registration)
        loop.scheduleTimer(afterMilliseconds: Self.pauseAfterExhaustionMs) { [weak self] in
            guard let self, let registration = self.registration else { return }
            self.loop.setInterest(.read, for: registration)
        }
    }

    private static func isResourceExhaustion(_ error: IOError) -> Bool {
        [IOError.Code.tooManyOpenFiles, IOError.Code.tooManyOpenFilesInSystem, IOError.Code.noBufferSpace, IOError.Code.outOfMemory].contains(error.errno)
    }
}
