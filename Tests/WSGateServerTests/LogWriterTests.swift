import Testing
import WSGateConfig
import WSGateCore
import WSGateTestSupport
@testable import WSGateServer

/// The log writer's thread: whole lines in order, never a wait for a blocked output, the drop
/// notice once the output takes bytes again, and a bounded wait at exit.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct LogWriterTests {
    /// An output the test can hold shut: what was written, and whether a write is waiting.
    final class HeldOutput: Sendable {
        struct State: Sendable {
            var isOpen: Bool
            var isWriteWaiting = false
            var written: [UInt8] = []
        }

        let state: GuardedState<State>

        init(open: Bool) { state = GuardedState(State(isOpen: open)) }

        /// The writer's `output`: waits while the output is held shut.
        func write(_ bytes: ByteBuffer) {
            state.update { $0.isWriteWaiting = true }
            _ = state.wait(until: TestDeadline(seconds: 600)) { $0.isOpen ? true : nil }
            state.update {
                $0.isWriteWaiting = false
                $0.written += bytes.readableBytesArray
            }
        }

        var text: String { String(decoding: state.withLock { $0.written }, as: UTF8.self) }

        /// Waits until `text` satisfies `check`.
        func waitForText(_ check: (String) -> Bool) -> String? {
            state.wait(until: TestDeadline(seconds: 30)) { state in
                let text = String(decoding: state.written, as: UTF8.self)
                return check(text) ? text : nil
            }
        }
    }

    @Test func linesAreWrittenWholeAndInOrderAndFinishWaitsForThem() throws {
        let output = HeldOutput(open: true)
        let writer = try LogWriter(format: .text, capacityBytes: 1 << 20, output: { output.write($0) })
        let lines = (0..<500).map(LogQueueTests.line)
        for line in lines { writer.enqueue(line) }
        #expect(writer.finish(timeoutMilliseconds: 30_000))
        #expect(output.text == lines.joined())
    }

    /// The loop side never waits: with the output held shut, every line is queued or dropped at
    /// once; once it opens, the lines kept come first, in order, then one notice counting the
    /// rest.
    @Test func aBlockedOutputMakesLinesDropAndTheCountIsWrittenOnceItDrains() throws {
        let output = HeldOutput(open: false)
        let writer = try LogWriter(format: .text, capacityBytes: 100, output: { output.write($0) })
        writer.enqueue(LogQueueTests.line(0))
        _ = output.state.wait(until: TestDeadline(seconds: 30)) { $0.isWriteWaiting ? true : nil }
        for number in 1..<200 { writer.enqueue(LogQueueTests.line(number)) }
        output.state.update { $0.isOpen = true }
        let text = try #require(output.waitForText { $0.contains("log lines dropped: ") })
        #expect(writer.finish(timeoutMilliseconds: 30_000))

        let written = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let kept = written.prefix { $0.hasPrefix("line ") }
        #expect(kept.map { String($0) + "\n" } == (0..<kept.count).map(LogQueueTests.line))
        #expect(kept.count <= 10 + 1)  // the budget, and the line that was being written
        #expect(written.count == kept.count + 1)
        let notice = try #require(written.last)
        #expect(notice.contains(" | ERROR  | server     |  | log lines dropped: "))
        #expect(notice.hasSuffix("log lines dropped: \(200 - kept.count)"))
    }

    @Test func theDropNoticeFollowsTheJSONFormat() throws {
        let output = HeldOutput(open: false)
        let writer = try LogWriter(format: .json, capacityBytes: 10, output: { output.write($0) })
        writer.enqueue(LogQueueTests.line(0))
        _ = output.state.wait(until: TestDeadline(seconds: 30)) { $0.isWriteWaiting ? true : nil }
        writer.enqueue(LogQueueTests.line(1))
        writer.enqueue(LogQueueTests.line(2))
        output.state.update { $0.isOpen = true }
        let text = try #require(output.waitForText { $0.contains("dropped") })
        #expect(text.hasPrefix(LogQueueTests.line(0) + "{\"time\":\""))
        #expect(text.hasSuffix("\"level\":\"error\",\"category\":\"server\",\"msg\":\"log lines dropped: 2\"}\n"))
    }

    /// At exit, an output that never drains does not hold the process forever.
    @Test func finishGivesUpOnAnOutputThatStaysBlocked() throws {
        let output = HeldOutput(open: false)
        let writer = try LogWriter(format: .text, capacityBytes: 100, output: { output.write($0) })
        writer.enqueue(LogQueueTests.line(0))
        #expect(!writer.finish(timeoutMilliseconds: 50))
        output.state.update { $0.isOpen = true }
        #expect(writer.finish(timeoutMilliseconds: 30_000))
        #expect(output.text == LogQueueTests.line(0))
    }
}
