import Testing
import WSGateCore
import WSGateEventLoop
import WSGatePosix

/// The write queue over a real socket pair: order, coalescing, partial writes, watermarks.
@Suite struct WriteQueueTests {
    /// Reads everything currently available on `socket`.
    static func drain(_ socket: FileDescriptor) throws -> [UInt8] {
        var out = ByteBuffer()
        while case .processed(let count) = try socket.read(into: &out, maxBytes: 65536), count > 0 {}
        return out.readableBytesArray
    }

    @Test func smallAndLargeChunksArriveInOrder() throws {
        let (a, b) = try Socket.pair()
        defer { a.close(); b.close() }
        var queue = WriteQueue()
        queue.enqueue(ByteBuffer(bytes: [1, 2, 3]))
        let large = ByteBuffer(bytes: (0..<10_000).map { UInt8(truncatingIfNeeded: $0) })
        queue.enqueue(large)
        queue.appendToScratch(minimumCapacity: 2) { $0.writeBytes([9, 9]) }
        #expect(queue.bufferedBytes == 10_005)
        #expect(try queue.flush(to: a))
        #expect(queue.isEmpty)
        let received = try Self.drain(b)
        #expect(received == [1, 2, 3] + large.readableBytesArray + [9, 9])
    }

    @Test func partialWritesResumeWhereTheyStopped() throws {
        let (a, b) = try Socket.pair()
        defer { a.close(); b.close() }
        try Socket.setSendBufferSize(a, 4096)
        var queue = WriteQueue(highWatermark: 100_000, lowWatermark: 10_000)
        var expected: [UInt8] = []
        for round in 0..<40 {
            let chunk = [UInt8](repeating: UInt8(round), count: 5000 + round)
            expected += chunk
            queue.enqueue(ByteBuffer(bytes: chunk))
        }
        #expect(queue.isAboveHighWatermark)
        var received: [UInt8] = []
        var rounds = 0
        while !(try queue.flush(to: a)) {
            received += try Self.drain(b)
            rounds += 1
            #expect(rounds < 10_000, "flush never completes")
            if rounds >= 10_000 { break }
        }
        received += try Self.drain(b)
        #expect(rounds > 0, "the small send buffer should have forced partial writes")
        #expect(received == expected)
        #expect(queue.isAtOrBelowLowWatermark)
    }

    @Test func flushToAClosedPeerThrowsBrokenPipe() throws {
        ProcessSignals.ignoreBrokenPipe()
        let (a, b) = try Socket.pair()
        b.close()
        defer { a.close() }
        var queue = WriteQueue()
        queue.enqueue(ByteBuffer(bytes: [1]))
        #expect(throws: IOError.self) { try queue.flush(to: a) }
    }
}
