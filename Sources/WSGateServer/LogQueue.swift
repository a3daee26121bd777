/// The log lines waiting for the writer thread, within a byte budget, and the count of lines
/// refused since the queue filled.
///
/// Why it exists: a loop thread must never wait for stdout, so a line is queued or dropped at
/// once; and the budget must bound memory however slowly stdout drains. The budget counts the
/// lines queued and the batch being written, so at most `capacityBytes` of log text exist at
/// any time. Once a line is refused, every line is refused until the writer takes the queue:
/// the lines written are then always a prefix of the lines logged, then the notice of how many
/// were lost, then what came after, never a later line ahead of an earlier lost one.
/// It is a value: the writer guards it with a lock and does the I/O.
struct LogQueue {
    /// What the writer takes in one go: the lines queued, in order, and how many lines were
    /// refused after the last of them.
    struct Batch: Equatable {
        var lines: [String]
        var droppedAfter: Int

        var isEmpty: Bool { lines.isEmpty && droppedAfter == 0 }
    }

    let capacityBytes: Int
    private var queued: [String] = []
    private var queuedBytes = 0
    /// The bytes of the batch the writer is writing: still in memory, so still in the budget.
    private var writingBytes = 0
    private var dropped = 0

    init(capacityBytes: Int) {
        self.capacityBytes = capacityBytes
    }

    /// Queues `line`, or counts it as dropped when it does not fit (or lines are being dropped
    /// already). Returns whether it was queued.
    @discardableResult
    mutating func offer(_ line: String) -> Bool {
        let size = line.utf8.count
        guard dropped == 0, queuedBytes + writingBytes + size <= capacityBytes else {
            dropped += 1
            return false
        }
        queued.append(line)
        queuedBytes += size
        return true
    }

    /// `true` when something waits for the writer: lines, or a count of dropped lines.
    var hasWork: Bool { !queued.isEmpty || dropped > 0 }

    /// `true` when everything offered has been written (or reported dropped) and the writer
    /// holds nothing.
    var isIdle: Bool { !hasWork && writingBytes == 0 }

    /// Everything queued, and the drops since, for the writer. The batch's bytes stay in the
    /// budget until `finishBatch`.
    mutating func takeBatch() -> Batch {
        let batch = Batch(lines: queued, droppedAfter: dropped)
        writingBytes = queuedBytes
        queued = []
        queuedBytes = 0
        dropped = 0
        return batch
    }

    /// The writer has written the batch it took: its bytes leave the budget.
    mutating func finishBatch() {
        writingBytes = 0
    }
}
