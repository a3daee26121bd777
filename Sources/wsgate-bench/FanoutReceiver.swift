import WSGateCore
import WSGatePosix

/// One client of the fan-out room: it counts the messages it receives, checks that their
/// sequence numbers come in order without gaps, and records each one's delay (receipt time
/// minus the emitter's send time).
///
/// Why it exists: fan-out is measured per delivery, so every client checks and times its own
/// stream. Messages all have the emitter's fixed size, so they are cut from the byte stream by
/// size alone (a frame may arrive in pieces). A slow receiver stops reading after its upgrade
/// and is not counted: it only exists to load the server's slow-client policy.
///
/// - Warning: loop-confined.
final class FanoutReceiver: MessageChannelDelegate {
    let channel: WebSocketClient
    let slow: Bool
    private let size: Int
    private let expected: Int
    private let metrics: RunMetrics
    /// Bytes of the current message seen so far, and its header once complete.
    private var offset = 0
    private var header = [UInt8](repeating: 0, count: FanoutMessage.headerLength)
    private var nextSequence = 0
    private(set) var received = 0
    private(set) var didOpen = false
    private(set) var isFinished = false
    /// Why the connection ended, if not cleanly.
    private(set) var failure: String?
    var onOpen: ((FanoutReceiver) -> Void)?
    /// All `expected` messages are in.
    var onComplete: ((FanoutReceiver) -> Void)?
    var onFinish: ((FanoutReceiver) -> Void)?

    init(channel: WebSocketClient, slow: Bool, size: Int, expected: Int, metrics: RunMetrics) {
        self.channel = channel
        self.slow = slow
        self.size = size
        self.expected = expected
        self.metrics = metrics
        channel.delegate = self
    }

    var missing: Int { Swift.max(0, expected - received) }

    func channelDidOpen(_ channel: any MessageChannel) {
        didOpen = true
        if slow { self.channel.stopReading() }
        onOpen?(self)
    }

    func channel(_ channel: any MessageChannel, didReceive bytes: UnsafeRawBufferPointer) {
        var index = 0
        while index < bytes.count {
            let take = Swift.min(bytes.count - index, size - offset)
            if offset < FanoutMessage.headerLength {
                for position in 0 ..< Swift.min(take, FanoutMessage.headerLength - offset) {
                    header[offset + position] = bytes[index + position]
                }
            }
            offset += take
            index += take
            if offset == size {
                offset = 0
                guard complete() else { return }
            }
        }
    }

    /// One whole message is in; false if the connection was failed.
    private func complete() -> Bool {
        let now = SystemClock.monotonicNow()
        guard let message = header.withUnsafeBytes({ FanoutMessage($0) }) else {
            channel.abort("a message without the emitter's header (message \(received))")
            return false
        }
        if message.sequence != nextSequence {
            metrics.errors.record(message.sequence > nextSequence ? "sequence gap (lost messages)" : "message out of order")
        }
        nextSequence = message.sequence + 1
        received += 1
        if slow { return true }
        metrics.completedMessages += 1
        metrics.bytesReceived += size
        let delay = (now.nanoseconds - message.sentNanoseconds) / 1000
        metrics.latencies.record(microseconds: delay)
        metrics.timeline.record(microseconds: delay, elapsedNanoseconds: now.nanoseconds - metrics.windowStart.nanoseconds)
        if received == expected { onComplete?(self) }
        return true
    }

    func channelDidClose(_ channel: any MessageChannel, failure: String?) {
        self.failure = failure
        isFinished = true
        onFinish?(self)
        onOpen = nil
        onComplete = nil
        onFinish = nil
    }
}
