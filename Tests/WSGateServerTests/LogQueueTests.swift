import Testing
@testable import WSGateServer

/// The log queue's budget, drop count and order, without threads.
@Suite(.timeLimit(.minutes(10))) struct LogQueueTests {
    /// "line 0007\n": ten bytes each.
    static func line(_ number: Int) -> String {
        let digits = String(number)
        return "line " + String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "\n"
    }

    /// Offers each line; whether each was queued.
    func offer(_ lines: [String], to queue: inout LogQueue) -> [Bool] {
        lines.map { queue.offer($0) }
    }

    @Test func linesComeOutInTheOrderTheyWentIn() {
        var queue = LogQueue(capacityBytes: 100)
        let queued = offer((0..<10).map(Self.line), to: &queue)
        #expect(queued == Array(repeating: true, count: 10))
        let batch = queue.takeBatch()
        #expect(batch == .init(lines: (0..<10).map(Self.line), droppedAfter: 0))
    }

    @Test func aLineBeyondTheBudgetIsDroppedAndCounted() {
        var queue = LogQueue(capacityBytes: 95)
        let queued = offer((0..<11).map(Self.line), to: &queue)
        #expect(queued == Array(repeating: true, count: 9) + [false, false])
        let batch = queue.takeBatch()
        #expect(batch == .init(lines: (0..<9).map(Self.line), droppedAfter: 2))
    }

    /// After a drop, a line that would fit is dropped too: what is written stays a prefix of
    /// what was logged, followed by the notice.
    @Test func onceALineIsDroppedEveryLineIsUntilTheWriterTakesTheQueue() {
        var queue = LogQueue(capacityBytes: 25)
        let queued = offer([Self.line(0), String(repeating: "x", count: 20) + "\n", Self.line(1)], to: &queue)
        #expect(queued == [true, false, false])
        let first = queue.takeBatch()
        #expect(first == .init(lines: [Self.line(0)], droppedAfter: 2))
        queue.finishBatch()
        let queuedAfter = offer([Self.line(2)], to: &queue)
        #expect(queuedAfter == [true])
        let second = queue.takeBatch()
        #expect(second == .init(lines: [Self.line(2)], droppedAfter: 0))
    }

    @Test func theBatchBeingWrittenStaysInTheBudgetUntilItIsWritten() {
        var queue = LogQueue(capacityBytes: 30)
        _ = offer((0..<3).map(Self.line), to: &queue)
        let batch = queue.takeBatch()
        #expect(batch.lines.count == 3)
        #expect(!queue.isIdle)
        #expect(!queue.hasWork)
        let whileWriting = offer([Self.line(3)], to: &queue)
        #expect(whileWriting == [false])
        #expect(queue.hasWork)  // the drop count waits for the writer
        queue.finishBatch()
        let notice = queue.takeBatch()
        #expect(notice == .init(lines: [], droppedAfter: 1))
        #expect(queue.isIdle)
        let afterwards = offer((4..<7).map(Self.line), to: &queue)
        #expect(afterwards == [true, true, true])
    }

    @Test func aLineLargerThanTheWholeBudgetIsDroppedEvenFromAnEmptyQueue() {
        var queue = LogQueue(capacityBytes: 8)
        let queued = offer([Self.line(0)], to: &queue)
        #expect(queued == [false])
        #expect(queue.hasWork)
        let batch = queue.takeBatch()
        #expect(batch == .init(lines: [], droppedAfter: 1))
    }

    @Test func anEmptyQueueIsIdle() {
        var queue = LogQueue(capacityBytes: 8)
        #expect(queue.isIdle)
        #expect(!queue.hasWork)
        let batch = queue.takeBatch()
        #expect(batch.isEmpty)
    }
}
