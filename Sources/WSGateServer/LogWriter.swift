import WSGateConfig
import WSGateCore
import WSGatePosix

/// Writes log lines to stdout on a thread of its own, from a `LogQueue` shared by every loop.
///
/// Why it exists: a `write(2)` to a stdout nobody reads (a full pipe) blocks, and a loop
/// thread blocked there stalls every connection it serves. Loops only append to the queue;
/// this thread does the blocking writes, a whole line at a time, so lines never interleave or
/// split. When the queue is full, lines are dropped and counted, and once the writer catches
/// up it writes one `log lines dropped: N` line (in the chosen format) where they were lost.
///
/// Why one queue with a byte budget: memory is bounded whatever `--threads` is and however
/// long stdout stays blocked; one writer keeps the lines of all loops in the order they were
/// logged. One MiB holds several thousand lines (a line is about 150 bytes), enough for a
/// burst of connections to pass a briefly slow reader without a loss, and small beside what
/// the connections hold.
final class LogWriter: Sendable {
    /// The budget of queued log text, shared by all loops.
    static let defaultCapacityBytes = 1 << 20
    /// How long the exit waits for queued lines to reach stdout.
    static let exitFlushTimeoutMs = 2_000

    private struct State {
        var queue: LogQueue
        var isFinished = false
    }

    private let state: LockedCondition<State>

    /// Starts the writer thread (with every signal blocked: the signalfd takes them). `output`
    /// writes all of its bytes, blocking as long as it must.
    init(format: LogFormat, capacityBytes: Int = defaultCapacityBytes,
         output: @escaping @Sendable (ByteBuffer) -> Void = { StandardStreams.writeOut($0) }) throws(IOError) {
        let state = LockedCondition(State(queue: LogQueue(capacityBytes: capacityBytes)))
        self.state = state
        // Detached: the exit never joins it, since it may be blocked on stdout.
        try ProcessSignals.withAllBlocked { () throws(IOError) in
            try PosixThread.start { Self.writeUntilFinished(state, format: format, output: output) }
        }.detach()
    }

    /// Queues one formatted line (or counts it dropped); never waits for stdout.
    func enqueue(_ line: String) {
        state.withLockWakingWaiters { _ = $0.queue.offer(line) }
    }

    /// Waits until every line queued so far has been written (a drop notice included), for at
    /// most `timeoutMilliseconds`; then the thread ends once idle (it is not joined: it may be
    /// blocked on stdout). Returns false on a timeout (stdout still blocked): lines still
    /// queued are lost with the process.
    @discardableResult
    func finish(timeoutMilliseconds: Int) -> Bool {
        state.wait(until: { $0.queue.isIdle }, timeoutMilliseconds: timeoutMilliseconds) {
            $0.isFinished = true
        } != nil
    }

    private static func writeUntilFinished(_ state: LockedCondition<State>, format: LogFormat,
                                           output: @Sendable (ByteBuffer) -> Void) {
        while true {
            let next = state.wait(until: { $0.queue.hasWork || $0.isFinished }) { state -> LogQueue.Batch? in
                state.queue.hasWork ? state.queue.takeBatch() : nil
            }
            guard let batch = next ?? nil else { return }
            output(bytes(of: batch, format: format))
            state.withLockWakingWaiters { $0.queue.finishBatch() }
        }
    }

    /// The batch's lines, then the drop notice if lines were dropped after them.
    static func bytes(of batch: LogQueue.Batch, format: LogFormat) -> ByteBuffer {
        var bytes = ByteBuffer(capacity: batch.lines.reduce(0) { $0 + $1.utf8.count } + 128)
        for line in batch.lines { bytes.writeString(line) }
        if batch.droppedAfter > 0 {
            let notice = LogLine(time: SystemClock.wallNow(), level: .error, category: "server", fields: [],
                                 message: "log lines dropped: \(batch.droppedAfter)")
            bytes.writeString(format == .json ? notice.json : notice.text)
        }
        return bytes
    }
}
