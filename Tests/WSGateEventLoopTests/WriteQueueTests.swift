import Testing
import WSGateCore
import WSGateEventLoop
import WSGatePosix

/// The write queue over a real socket pair: order, coalescing, partial writes, watermarks.
@Suite(.timeLimit(.minutes(10))) struct WriteQueueTests {
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

/// What the watermarks count: the memory a queued chunk keeps alive, not only its bytes.
@Suite(.timeLimit(.minutes(10))) struct WriteQueueMemoryTests {
    @Test func aSliceCountsTheWholeBlockItPins() {
        var block = ByteBuffer(capacity: 65536)
        block.writeBytes([UInt8](repeating: 7, count: 65536))
        block.moveReaderIndex(forwardBy: 65536 - 5000)
        let slice = block.readSlice(5000)!
        var queue = WriteQueue(highWatermark: 32768, lowWatermark: 16384)
        queue.enqueue(slice)
        #expect(queue.bufferedBytes == 5000)
        #expect(queue.heldBytes == 65536)
        #expect(queue.isAboveHighWatermark, "5000 bytes that pin 64 KiB are over a 32 KiB watermark")
    }

    @Test func adjacentSlicesOfOneBlockCountItOnce() throws {
        var block = ByteBuffer(capacity: 20000)
        block.writeBytes([UInt8](repeating: 1, count: 20000))
        let first = block.readSlice(10000)!, second = block.readSlice(10000)!
        var queue = WriteQueue()
        queue.enqueue(first)
        queue.enqueue(second)
        #expect(queue.heldBytes == 20000)
        let (a, b) = try Socket.pair()
        defer { a.close(); b.close() }
        #expect(try queue.flush(to: a))
        #expect(queue.heldBytes == 0)
    }

    @Test func anEmptiedQueueGivesItsScratchBackToThePool() throws {
        let pool = ScratchPool(bufferCapacity: 8192, limit: 4)
        var queue = WriteQueue(scratchPool: pool)
        queue.enqueue(ByteBuffer(bytes: [1, 2, 3]))
        #expect(queue.heldBytes == 8192)
        let (a, b) = try Socket.pair()
        defer { a.close(); b.close() }
        #expect(try queue.flush(to: a))
        #expect(queue.heldBytes == 0)
        #expect(pool.spareCount == 1)
        queue.enqueue(ByteBuffer(bytes: [4]))
        #expect(pool.spareCount == 0, "the next small write reuses the spare")
        #expect(try queue.flush(to: a))
        #expect(try WriteQueueTests.drain(b) == [1, 2, 3, 4])
    }

    @Test func thePoolKeepsAtMostItsLimitAndNothingShared() {
        let pool = ScratchPool(bufferCapacity: 64, limit: 2)
        var buffers = (0..<3).map { _ in pool.take() }
        for index in buffers.indices { pool.recycle(&buffers[index]) }
        #expect(pool.spareCount == 2)
        var shared = pool.take()
        let otherView = shared
        pool.recycle(&shared)
        #expect(pool.spareCount == 1, "a block still used elsewhere is not reused")
        #expect(otherView.capacity == 64)
    }
}

/// `enqueueShared`: bytes several queues share are queued as they are, however small.
@Suite(.timeLimit(.minutes(10))) struct WriteQueueSharingTests {
    @Test func sharedBytesAreNotCopiedAndCountTheirBlockOnce() {
        var frames = ByteBuffer(capacity: 100)
        frames.writeBytes(Array(repeating: 7, count: 100))
        var first = WriteQueue()
        var second = WriteQueue()
        first.enqueueShared(frames)
        second.enqueueShared(frames)
        #expect(first.bufferedBytes == 100 && second.bufferedBytes == 100)
        #expect(first.heldBytes == frames.capacity && second.heldBytes == frames.capacity)
        let unique = frames.hasUniquelyOwnedStorage()
        #expect(!unique, "both queues hold the same block")
        first.enqueueShared(frames)
        #expect(first.heldBytes == frames.capacity, "adjacent slices of one block count once")
    }

    @Test func watermarksMove() {
        var queue = WriteQueue(highWatermark: 256, lowWatermark: 64)
        queue.enqueueShared(ByteBuffer(bytes: Array(repeating: 1, count: 200)))
        #expect(!queue.isAboveHighWatermark)
        queue.setWatermarks(high: 100, low: 25)
        #expect(queue.isAboveHighWatermark && !queue.isAtOrBelowLowWatermark)
    }
}
