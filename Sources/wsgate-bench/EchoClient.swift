import WSGateCore
import WSGatePosix

/// One benchmark connection's workload: keep `window` messages in flight, check every echoed
/// byte against what was sent, time each message from its send to the last byte of its echo.
///
/// Why it exists: all four scenarios are this loop with different limits. `echo` is window 1
/// until the deadline; `stream` is window W; `connect` is one message then close; `idle` is one
/// message then hold the connection until told to close. Wrong bytes, extra bytes, echoes that
/// never come back and unclean closes are recorded in the run's `ErrorTally`.
///
/// - Warning: loop-confined.
final class EchoClient: MessageChannelDelegate {
    /// How much this connection sends, and what it does when done.
    struct Plan {
        /// Messages in flight at once.
        var window = 1
        /// Stop after this many messages (nil: until `stop()`).
        var messageLimit: Int?
        /// After the limit is reached, stay open (report `onReady`) until `stop()`.
        var holdOpen = false
    }

    enum Phase { case waiting, connecting, running, holding, closing, finished }

    let channel: any MessageChannel
    private let pattern: PayloadPattern
    /// The pattern window of this connection's first message.
    private let first: Int
    private let plan: Plan
    private let metrics: RunMetrics
    private(set) var phase = Phase.waiting
    private(set) var sent = 0
    private(set) var completed = 0
    private var receivedBytes = 0
    /// Send times of the messages in flight, by message index modulo the window.
    private var sentAt: [Instant]
    private var stopRequested = false
    /// When `start()` was called (the connect scenario times the whole cycle).
    private(set) var startedAt = Instant(nanoseconds: 0)
    /// The last time this connection made progress (watched for stalls).
    private(set) var lastProgress = Instant(nanoseconds: 0)
    /// True once the connection was open (upgraded).
    private(set) var didOpen = false
    /// True once the message limit was reached with the connection held open.
    private(set) var reachedHold = false
    /// True when the connection ended without any error.
    private(set) var succeeded = false
    var onOpen: ((EchoClient) -> Void)?
    /// The message limit was reached and the connection is held open.
    var onReady: ((EchoClient) -> Void)?
    var onFinish: ((EchoClient) -> Void)?

    init(channel: any MessageChannel, pattern: PayloadPattern, first: Int, plan: Plan, metrics: RunMetrics) {
        self.channel = channel
        self.pattern = pattern
        self.first = first % pattern.variants
        self.plan = plan
        self.metrics = metrics
        sentAt = Array(repeating: Instant(nanoseconds: 0), count: plan.window)
        channel.delegate = self
    }

    /// Messages sent whose echo is not complete yet.
    var outstanding: Int { sent - completed }

    func start() {
        phase = .connecting
        startedAt = SystemClock.monotonicNow()
        lastProgress = startedAt
        channel.start()
    }

    /// Ends the run for this connection: no new messages; close once the in-flight ones are back.
    func stop() {
        stopRequested = true
        closeIfDone()
    }

    /// Fails the connection from outside (the stall watchdog).
    func abort(_ reason: String) {
        channel.abort(reason)
    }

    // MARK: - MessageChannelDelegate

    func channelDidOpen(_ channel: any MessageChannel) {
        phase = .running
        lastProgress = SystemClock.monotonicNow()
        didOpen = true
        onOpen?(self)
        while phase == .running && outstanding < plan.window && mayStartAnother { sendNext() }
        closeIfDone()
    }

    func channel(_ channel: any MessageChannel, didReceive bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        let expectedEnd = sent * pattern.messageSize
        let comparable = UnsafeRawBufferPointer(rebasing: bytes[0 ..< Swift.min(bytes.count, expectedEnd - receivedBytes)])
        if let offset = pattern.firstMismatch(in: comparable, atStreamOffset: receivedBytes, first: first) {
            channel.abort("echoed bytes differ from the sent ones (message \(offset / pattern.messageSize), byte \(offset % pattern.messageSize))")
            return
        }
        guard comparable.count == bytes.count else {
            channel.abort("more bytes echoed than sent (\(receivedBytes + bytes.count) > \(expectedEnd))")
            return
        }
        receivedBytes += bytes.count
        let now = SystemClock.monotonicNow()
        lastProgress = now
        if metrics.measuring { metrics.bytesReceived += bytes.count }
        while receivedBytes >= (completed + 1) * pattern.messageSize {
            let start = sentAt[completed % plan.window]
            completed += 1
            if metrics.measuring {
                metrics.completedMessages += 1
                metrics.latencies.record(microseconds: (now.nanoseconds - start.nanoseconds) / 1000)
            }
            if phase == .running && mayStartAnother { sendNext() }
        }
        closeIfDone()
    }

    func channelDidClose(_ channel: any MessageChannel, failure: String?) {
        if let failure {
            metrics.errors.record(failure)
        } else if outstanding > 0 {
            metrics.errors.record("connection closed with echoes missing")
        }
        if outstanding > 0 { metrics.errors.recordMissing(outstanding) }
        succeeded = failure == nil && outstanding == 0
        phase = .finished
        onFinish?(self)
        onOpen = nil
        onReady = nil
        onFinish = nil
    }

    // MARK: - Helpers

    private var mayStartAnother: Bool {
        !stopRequested && (plan.messageLimit.map { sent < $0 } ?? true)
    }

    private func sendNext() {
        let now = SystemClock.monotonicNow()
        if outstanding == 0 { lastProgress = now }
        sentAt[sent % plan.window] = now
        let index = sent
        sent += 1
        if metrics.measuring { metrics.bytesSent += pattern.messageSize }
        pattern.withMessage(index, first: first) { payload in
            channel.send(payload)
        }
    }

    private func closeIfDone() {
        guard (phase == .running || phase == .holding), outstanding == 0, !mayStartAnother else { return }
        if plan.holdOpen && !stopRequested {
            if phase == .running {
                phase = .holding
                reachedHold = true
                onReady?(self)
            }
            return
        }
        phase = .closing
        channel.close()
    }
}
