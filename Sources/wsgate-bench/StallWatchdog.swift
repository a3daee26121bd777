import WSGateCore
import WSGateEventLoop
import WSGatePosix

/// Fails connections that wait too long for an echo.
///
/// Why it exists: a relay that stops moving bytes (a full pipe nobody drains, a lost wake-up)
/// would otherwise just lower the numbers or hang the run; a stall is a bug to report, so any
/// connection with a message in flight and no progress for `stallMilliseconds` is aborted and
/// counted as an error.
///
/// - Warning: loop-confined.
final class StallWatchdog {
    private let loop: EventLoop
    private let stallMilliseconds: Int
    private let clients: () -> [EchoClient]
    private var running = false

    init(loop: EventLoop, stallMilliseconds: Int, clients: @escaping () -> [EchoClient]) {
        self.loop = loop
        self.stallMilliseconds = stallMilliseconds
        self.clients = clients
    }

    func start() {
        running = true
        schedule()
    }

    func stop() {
        running = false
    }

    private func schedule() {
        loop.scheduleTimer(afterMilliseconds: Swift.min(250, stallMilliseconds)) { [weak self] in
            guard let self, self.running else { return }
            self.check()
            self.schedule()
        }
    }

    private func check() {
        let now = SystemClock.monotonicNow()
        let limit = Int64(stallMilliseconds) * 1_000_000
        for client in clients() where client.phase == .running && client.outstanding > 0
            && now.nanoseconds - client.lastProgress.nanoseconds > limit {
            client.abort("stalled: \(client.outstanding) message(s) in flight, no echoed byte for \(stallMilliseconds) ms")
        }
    }
}
