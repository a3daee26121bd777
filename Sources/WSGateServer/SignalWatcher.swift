import WSGateEventLoop
import WSGatePosix

/// Turns the signals the gateway handles into calls on the loop.
///
/// Why it exists: SIGTERM and SIGINT must start a drain (close 1001 to every client) with the
/// loop's state at hand, which no asynchronous signal handler can safely do.
///
/// - Warning: loop-confined.
final class SignalWatcher: IOHandler {
    private let signals: SignalFD
    private let loop: EventLoop
    private let onSignal: (Signal) -> Void
    private var registration: Registration?

    /// `signals` must already be blocked (SignalFD's initialiser does that).
    init(signals: SignalFD, loop: EventLoop, onSignal: @escaping (Signal) -> Void) {
        self.signals = signals
        self.loop = loop
        self.onSignal = onSignal
    }

    func start() throws(IOError) {
        registration = try loop.register(signals.fd, interest: .read, handler: self)
    }

    func stop() {
        if let registration { loop.deregister(registration) }
        registration = nil
        signals.fd.close()
    }

    func handle(_ events: IOEvents) {
        let pending = (try? signals.readPending()) ?? []
        for signal in pending { onSignal(signal) }
    }
}
