import Testing
import WSGateCore

/// A sequence that has no contiguous storage and under-reports its size, so `writeBytes` must
/// take the element-by-element path and grow while it goes.
private struct ByteStream: Sequence {
    let bytes: [UInt8]
    var underestimatedCount: Int { 0 }
    func makeIterator() -> IndexingIterator<[UInt8]> { bytes.makeIterator() }
}

private struct Refusal: Error, Equatable {}

/// A buffer whose storage is `capacity` bytes, holding `bytes`, with `consumed` of them read.
private func buffer(capacity: Int, bytes: [UInt8], consumed: Int = 0) -> ByteBuffer {
    var buffer = ByteBuffer(capacity: capacity)
    buffer.writeBytes(bytes)
    buffer.moveReaderIndex(forwardBy: consumed)
    return buffer
}

@Suite(.timeLimit(.minutes(10))) struct ByteBufferTests {
    // MARK: - Creating

    @Test func anEmptyBufferHasNoCapacityAndNothingToRead() {
        let empty = ByteBuffer()
        #expect(empty.capacity == 0)
        #expect(empty.readableBytes == 0)
        #expect(empty.writableBytes == 0)
        #expect(empty.isEmpty)
        #expect(empty.readerIndex == 0 && empty.writerIndex == 0)
        #expect(empty.readableBytesArray == [])
    }

    @Test func aRequestedCapacityIsAllWritable() {
        let buffer = ByteBuffer(capacity: 10)
        #expect(buffer.capacity == 10)
        #expect(buffer.writableBytes == 10)
        #expect(buffer.readableBytes == 0)
        #expect(buffer.isEmpty)
    }

    @Test func bytesAndStringInitialisersHoldExactlyTheirInput() {
        let bytes = ByteBuffer(bytes: [0x00, 0xFF, 0x10])
        #expect(bytes.readableBytesArray == [0x00, 0xFF, 0x10])
        #expect(bytes.readableBytes == 3)
        #expect(!bytes.isEmpty)

        let text = ByteBuffer(string: "hé")
        #expect(text.readableBytesArray == [0x68, 0xC3, 0xA9])
        #expect(text.readerIndex == 0 && text.writerIndex == 3)

        #expect(ByteBuffer(string: "").isEmpty)
        #expect(ByteBuffer(bytes: ByteStream(bytes: [1, 2, 3])).readableBytesArray == [1, 2, 3])
    }

    // MARK: - Writing and growing

    @Test func writesAppendAndMoveOnlyTheWriterIndex() {
        var buffer = ByteBuffer(capacity: 16)
        buffer.writeString("ab")
        buffer.writeBytes([0x01, 0x02])
        [UInt8](arrayLiteral: 9, 8).withUnsafeBytes { buffer.writeBytes($0) }
        buffer.writeBuffer(ByteBuffer(string: "Z"))
        #expect(buffer.readableBytesArray == [0x61, 0x62, 0x01, 0x02, 9, 8, 0x5A])
        #expect(buffer.readerIndex == 0)
        #expect(buffer.writerIndex == 7)
        #expect(buffer.writableBytes == 9)
        #expect(buffer.capacity == 16)
    }

    @Test func writingEmptyInputChangesNothing() {
        var buffer = ByteBuffer()
        buffer.writeBytes([UInt8]())
        buffer.writeString("")
        buffer.writeBuffer(ByteBuffer())
        [UInt8]().withUnsafeBytes { buffer.writeBytes($0) }
        buffer.writeBytes(ByteStream(bytes: []))
        #expect(buffer.capacity == 0)
        #expect(buffer.isEmpty)
    }

    @Test(arguments: [0, 1, 10, 63, 64, 100])
    func growingKeepsEveryByteInOrder(initialCapacity: Int) {
        var buffer = ByteBuffer(capacity: initialCapacity)
        let expected = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        for byte in expected { buffer.writeInteger(byte) }
        #expect(buffer.readableBytesArray == expected)
        #expect(buffer.capacity >= 1000)
        #expect(buffer.writerIndex == 1000)
    }

    @Test func growthIsGeometricNotOneAllocationPerWrite() {
        var buffer = ByteBuffer()
        var capacities: [Int] = []
        for _ in 0..<10_000 {
            buffer.writeInteger(UInt8(1))
            if capacities.last != buffer.capacity { capacities.append(buffer.capacity) }
        }
        // Doubling from at least 64 bytes: 64 ... 16384 is nine sizes.
        #expect(capacities.count <= 9, "capacities: \(capacities)")
        #expect(buffer.readableBytes == 10_000)
    }

    @Test func aNonContiguousSequenceIsWrittenElementByElement() {
        var buffer = ByteBuffer(string: ">")
        let bytes = (0..<300).map { UInt8(truncatingIfNeeded: $0) }
        buffer.writeBytes(ByteStream(bytes: bytes))
        buffer.writeBytes(bytes.lazy.map { $0 ^ 0xFF })
        #expect(buffer.readableBytesArray == [0x3E] + bytes + bytes.map { $0 ^ 0xFF })
    }

    @Test func writeBufferAppendsOnlyTheOtherBuffersReadableBytesAndLeavesItAlone() {
        var other = ByteBuffer(string: "xxabc")
        other.moveReaderIndex(forwardBy: 2)
        var buffer = ByteBuffer(string: "1")
        buffer.writeBuffer(other)
        #expect(buffer.readableBytesArray == Array("1abc".utf8))
        #expect(other.readerIndex == 2)
        #expect(other.readableBytesArray == Array("abc".utf8))
    }

    @Test func integersAreWrittenBigEndian() {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt8(0xAB))
        buffer.writeInteger(UInt16(0x0102))
        buffer.writeInteger(UInt32(0x0304_0506))
        buffer.writeInteger(UInt64(0x0708_090A_0B0C_0D0E))
        buffer.writeInteger(Int16(-2))
        #expect(buffer.readableBytesArray == [
            0xAB, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
            0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0xFF, 0xFE,
        ])
    }

    // MARK: - Reserving

    @Test func reservingWhenThereIsRoomChangesNothing() {
        var buffer = buffer(capacity: 16, bytes: [1, 2, 3, 4], consumed: 1)
        buffer.reserveWritableBytes(12)
        #expect(buffer.capacity == 16)
        #expect(buffer.readerIndex == 1 && buffer.writerIndex == 4)
        buffer.reserveWritableBytes(0)
        #expect(buffer.readerIndex == 1 && buffer.writerIndex == 4)
        #expect(buffer.readableBytesArray == [2, 3, 4])
    }

    @Test func reservingSlidesTheReadableBytesDownWhenThatMakesRoom() {
        var buffer = buffer(capacity: 16, bytes: Array(1...16), consumed: 10)
        #expect(buffer.writableBytes == 0)
        buffer.reserveWritableBytes(8)
        #expect(buffer.capacity == 16, "the consumed prefix is enough room: no reallocation")
        #expect(buffer.readerIndex == 0)
        #expect(buffer.writerIndex == 6)
        #expect(buffer.writableBytes == 10)
        #expect(buffer.readableBytesArray == [11, 12, 13, 14, 15, 16])
    }

    @Test func slidingHandlesOverlappingRanges() {
        // 12 readable bytes move down by 4: source and destination overlap.
        var buffer = buffer(capacity: 16, bytes: Array(1...16), consumed: 4)
        buffer.reserveWritableBytes(4)
        #expect(buffer.capacity == 16)
        #expect(buffer.readableBytesArray == Array(5...16))
    }

    @Test func reservingMoreThanFitsGrowsAndDropsTheConsumedPrefix() {
        var buffer = buffer(capacity: 16, bytes: Array(1...16), consumed: 2)
        buffer.reserveWritableBytes(100)
        #expect(buffer.writableBytes >= 100)
        #expect(buffer.readerIndex == 0)
        #expect(buffer.writerIndex == 14)
        #expect(buffer.readableBytesArray == Array(3...16))
    }

    // MARK: - Copy on write

    @Test func aCopyIsIndependentOfWritesToTheOriginal() {
        var original = buffer(capacity: 64, bytes: Array("hello".utf8))
        let copy = original
        original.writeString(" world")
        original.withUnsafeMutableReadableBytes { $0[0] = 0x48 }
        #expect(copy.readableBytesArray == Array("hello".utf8))
        #expect(original.readableBytesArray == Array("Hello world".utf8))
    }

    @Test func theOriginalIsIndependentOfWritesToACopy() {
        let original = buffer(capacity: 64, bytes: Array("hello".utf8))
        var copy = original
        copy.withUnsafeMutableReadableBytes { $0[4] = 0x21 }
        copy.writeInteger(UInt16(0x3F3F))
        #expect(original.readableBytesArray == Array("hello".utf8))
        #expect(copy.readableBytesArray == Array("hell!??".utf8))
    }

    @Test func inPlaceWritesToAUniqueBufferDoNotCopy() {
        var buffer = buffer(capacity: 64, bytes: Array("abc".utf8), consumed: 1)
        let ownedAlone = buffer.hasUniquelyOwnedStorage()
        #expect(ownedAlone)
        buffer.withUnsafeMutableReadableBytes { $0[0] = 0x42 }
        // No copy: the indices and capacity are those of the original block.
        #expect(buffer.readerIndex == 1)
        #expect(buffer.capacity == 64)
        #expect(buffer.readableBytesArray == Array("Bc".utf8))
    }

    @Test func aSliceSharesStorageUntilEitherSideWrites() throws {
        var parent = ByteBuffer(string: "abcdef")
        let parentOwnedAlone = parent.hasUniquelyOwnedStorage()
        #expect(parentOwnedAlone)
        let sliced = parent.readSlice(2)
        var slice = try #require(sliced)
        let parentOwnedAloneWithSlice = parent.hasUniquelyOwnedStorage()
        #expect(!parentOwnedAloneWithSlice)
        let sliceOwnedAlone = slice.hasUniquelyOwnedStorage()
        #expect(!sliceOwnedAlone)
        #expect(slice.readableBytesArray == Array("ab".utf8))
        #expect(parent.readableBytesArray == Array("cdef".utf8))

        // Unmasking the slice in place must not touch the parent's bytes.
        slice.withUnsafeMutableReadableBytes { bytes in
            for i in bytes.indices { bytes[i] ^= 0x20 }
        }
        #expect(slice.readableBytesArray == Array("AB".utf8))
        let sliceOwnedAloneAfterCopy = slice.hasUniquelyOwnedStorage()
        #expect(sliceOwnedAloneAfterCopy)
        #expect(parent.readableBytesArray == Array("cdef".utf8))
    }

    @Test func appendingToASliceDoesNotOverwriteTheParentsNextBytes() throws {
        var parent = ByteBuffer(string: "abcdef")
        let sliced = parent.readSlice(2)
        var slice = try #require(sliced)
        slice.writeString("XY")
        slice.writeInteger(UInt8(0x21))
        #expect(slice.readableBytesArray == Array("abXY!".utf8))
        #expect(parent.readableBytesArray == Array("cdef".utf8))
    }

    @Test func writingToTheParentDoesNotChangeALiveSlice() throws {
        var parent = ByteBuffer(string: "abcdef")
        let sliced = parent.readSlice(3)
        let slice = try #require(sliced)
        parent.withUnsafeMutableReadableBytes { $0[0] = 0x2A }
        parent.clear()
        parent.writeString("ZZZZZZ")
        #expect(slice.readableBytesArray == Array("abc".utf8))
        #expect(parent.readableBytesArray == Array("ZZZZZZ".utf8))
    }

    @Test func filledInPlaceWritesToASliceDoNotReachTheParent() throws {
        var parent = ByteBuffer(string: "abcdef")
        let sliced = parent.readSlice(2)
        var slice = try #require(sliced)
        let written = slice.writeWithUnsafeMutableBytes(minimumWritableBytes: 1) { area in
            area[0] = 0x58
            return 1
        }
        #expect(written == 1)
        #expect(slice.readableBytesArray == Array("abX".utf8))
        #expect(parent.readableBytesArray == Array("cdef".utf8))
    }

    /// `writeWithUnsafeMutableBytes(minimumWritableBytes: 0)` hands out the writable area
    /// without making the storage unique (`reserveWritableBytes(0)` returned before its
    /// uniqueness check). For a slice, that area IS the parent's unread bytes. Regression test.
    @Test func aZeroMinimumInPlaceWriteToASliceDoesNotReachTheParent() throws {
        var parent = ByteBuffer(string: "abcdef")
        let sliced = parent.readSlice(2)
        var slice = try #require(sliced)
        let written = slice.writeWithUnsafeMutableBytes(minimumWritableBytes: 0) { area in
            guard area.count > 0 else { return 0 }
            area[0] = 0x58
            return 1
        }
        #expect(slice.readableBytesArray == Array("ab".utf8) + Array("X".utf8).prefix(written))
        #expect(parent.readableBytesArray == Array("cdef".utf8))
    }

    @Test func clearingASharedBufferLeavesTheCopyIntact() {
        var buffer = ByteBuffer(string: "keep me")
        let copy = buffer
        buffer.clear()
        #expect(buffer.isEmpty)
        #expect(buffer.readerIndex == 0 && buffer.writerIndex == 0)
        buffer.writeString("new")
        #expect(copy.readableBytesArray == Array("keep me".utf8))
        #expect(buffer.readableBytesArray == Array("new".utf8))
    }

    @Test func clearingAUniqueBufferKeepsItsAllocation() {
        var buffer = buffer(capacity: 32, bytes: [1, 2, 3], consumed: 1)
        buffer.clear()
        #expect(buffer.capacity == 32)
        #expect(buffer.readerIndex == 0 && buffer.writerIndex == 0)
        #expect(buffer.writableBytes == 32)
    }

    // MARK: - Reading integers

    @Test func integersAreReadBigEndianAndConsumed() {
        var buffer = ByteBuffer(bytes: [0xAB, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
                                        0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0xFF, 0xFE])
        #expect(buffer.readInteger(as: UInt8.self) == 0xAB)
        #expect(buffer.readInteger(as: UInt16.self) == 0x0102)
        #expect(buffer.readInteger(as: UInt32.self) == 0x0304_0506)
        #expect(buffer.readInteger(as: UInt64.self) == 0x0708_090A_0B0C_0D0E)
        #expect(buffer.readInteger(as: Int16.self) == -2)
        #expect(buffer.isEmpty)
        #expect(buffer.readerIndex == 17)
    }

    @Test func aShortReadIntegerReturnsNilAndConsumesNothing() {
        var buffer = ByteBuffer(bytes: [1, 2, 3])
        #expect(buffer.readInteger(as: UInt32.self) == nil)
        #expect(buffer.readInteger(as: UInt64.self) == nil)
        #expect(buffer.readerIndex == 0)
        #expect(buffer.readInteger(as: UInt16.self) == 0x0102)
        #expect(buffer.readInteger(as: UInt16.self) == nil)
        #expect(buffer.readerIndex == 2)
        #expect(buffer.readInteger(as: UInt8.self) == 3)
        #expect(buffer.readInteger(as: UInt8.self) == nil)
    }

    @Test func getIntegerReadsAtAnOffsetFromTheReaderIndexWithoutConsuming() {
        var buffer = ByteBuffer(bytes: [0xEE, 0x12, 0x34, 0x56, 0x78])
        buffer.moveReaderIndex(forwardBy: 1)
        #expect(buffer.getInteger(at: 0, as: UInt16.self) == 0x1234)
        #expect(buffer.getInteger(at: 1, as: UInt16.self) == 0x3456)
        #expect(buffer.getInteger(at: 0, as: UInt32.self) == 0x1234_5678)
        #expect(buffer.getInteger(at: 3, as: UInt8.self) == 0x78)
        #expect(buffer.readerIndex == 1)
    }

    @Test(arguments: [-1, 3, 4, 100])
    func getIntegerPastTheReadableBytesIsNil(offset: Int) {
        var buffer = ByteBuffer(bytes: [0xEE, 0x12, 0x34, 0x56, 0x78])
        buffer.moveReaderIndex(forwardBy: 1)
        #expect(buffer.getInteger(at: offset, as: UInt16.self) == nil)
        #expect(buffer.readerIndex == 1)
    }

    @Test func getIntegerDoesNotSeeConsumedOrUnwrittenBytes() {
        var buffer = ByteBuffer(capacity: 16)
        buffer.writeBytes([0x01, 0x02, 0x03])
        buffer.moveReaderIndex(forwardBy: 2)
        #expect(buffer.getInteger(at: 0, as: UInt8.self) == 0x03)
        #expect(buffer.getInteger(at: 0, as: UInt16.self) == nil, "only one byte is readable")
        #expect(buffer.getInteger(at: -1, as: UInt8.self) == nil)
    }

    @Test func subscriptIndexesFromTheReaderIndex() {
        var buffer = ByteBuffer(bytes: [10, 20, 30])
        #expect(buffer[0] == 10 && buffer[2] == 30)
        buffer.moveReaderIndex(forwardBy: 1)
        #expect(buffer[0] == 20 && buffer[1] == 30)
    }

    // MARK: - Reading bytes, slices and strings

    @Test func readBytesConsumesExactlyTheCount() {
        var buffer = ByteBuffer(bytes: [1, 2, 3, 4, 5])
        #expect(buffer.readBytes(0) == [])
        #expect(buffer.readerIndex == 0)
        #expect(buffer.readBytes(2) == [1, 2])
        #expect(buffer.readBytes(3) == [3, 4, 5])
        #expect(buffer.isEmpty)
        #expect(buffer.readBytes(0) == [])
    }

    @Test(arguments: [-1, 6, Int.max])
    func readBytesBeyondTheReadableBytesIsNilAndConsumesNothing(count: Int) {
        var buffer = ByteBuffer(bytes: [1, 2, 3, 4, 5])
        #expect(buffer.readBytes(count) == nil)
        #expect(buffer.readSlice(count) == nil)
        #expect(buffer.readString(count) == nil)
        #expect(buffer.readerIndex == 0)
        #expect(buffer.readableBytesArray == [1, 2, 3, 4, 5])
    }

    @Test func readSliceReturnsTheNextBytesAndConsumesThem() {
        var buffer = ByteBuffer(bytes: [1, 2, 3, 4, 5])
        #expect(buffer.readInteger(as: UInt8.self) == 1)
        let slice = buffer.readSlice(3)
        #expect(slice?.readableBytesArray == [2, 3, 4])
        #expect(slice?.readableBytes == 3)
        #expect(buffer.readableBytesArray == [5])
        #expect(buffer.readSlice(1)?.readableBytesArray == [5])
        #expect(buffer.readSlice(0)?.isEmpty == true)
    }

    @Test func readStringDecodesUTF8AndRepairsInvalidSequences() {
        var buffer = ByteBuffer(bytes: Array("héllo".utf8) + [0xFF, 0x41])
        #expect(buffer.readString(3) == "hé")
        #expect(buffer.readString(0) == "")
        #expect(buffer.readString(3) == "llo")
        #expect(buffer.readString(2) == "\u{FFFD}A")
        #expect(buffer.isEmpty)
    }

    @Test func readingACutMultiByteCharacterRepairsOnlyWhatWasRead() {
        var buffer = ByteBuffer(string: "é!")
        #expect(buffer.readString(1) == "\u{FFFD}")
        #expect(buffer.readBytes(2) == [0xA9, 0x21])
    }

    @Test func withUnsafeReadableBytesSeesOnlyTheReadableRange() {
        var buffer = buffer(capacity: 32, bytes: [1, 2, 3, 4])
        buffer.moveReaderIndex(forwardBy: 1)
        let seen = buffer.withUnsafeReadableBytes { [UInt8]($0) }
        #expect(seen == [2, 3, 4])
    }

    @Test func typedThrowsPassThroughTheRawAccessors() {
        var buffer = ByteBuffer(string: "abc")
        #expect(throws: Refusal.self) {
            try buffer.withUnsafeReadableBytes { (_) throws(Refusal) -> Void in throw Refusal() }
        }
        #expect(throws: Refusal.self) {
            try buffer.withUnsafeMutableReadableBytes { (_) throws(Refusal) -> Void in throw Refusal() }
        }
    }

    // MARK: - Moving indices and filling in place

    @Test func movingTheWriterIndexExposesBytesFilledInPlace() {
        var buffer = ByteBuffer(capacity: 8)
        let written = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 4) { area in
            area[0] = 0x01
            area[1] = 0x02
            return 0
        }
        #expect(written == 0)
        #expect(buffer.isEmpty)
        buffer.moveWriterIndex(forwardBy: 2)
        #expect(buffer.readableBytesArray == [0x01, 0x02])
        buffer.moveReaderIndex(forwardBy: 1)
        #expect(buffer.readerIndex == 1 && buffer.writerIndex == 2)
        #expect(buffer.readableBytesArray == [0x02])
    }

    @Test func writeWithUnsafeMutableBytesOffersAtLeastTheMinimumAndKeepsWhatWasWritten() {
        var buffer = ByteBuffer(string: "ab")
        var offered = 0
        let written = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 100) { area in
            offered = area.count
            area[0] = 0x63
            area[1] = 0x64
            return 2
        }
        #expect(offered >= 100)
        #expect(written == 2)
        #expect(buffer.readableBytesArray == Array("abcd".utf8))
        #expect(buffer.writerIndex == 4)
        #expect(buffer.writableBytes == offered - 2)
    }

    @Test func writeWithUnsafeMutableBytesWritesNothingWhenTheBodyThrows() {
        var buffer = ByteBuffer(string: "ab")
        #expect(throws: Refusal.self) {
            try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 4) { (area) throws(Refusal) -> Int in
                area[0] = 0x7A
                throw Refusal()
            }
        }
        #expect(buffer.readableBytesArray == Array("ab".utf8))
    }

    @Test func writeWithUnsafeMutableBytesSlidesInsteadOfGrowingWhenThePrefixIsConsumed() {
        var buffer = buffer(capacity: 16, bytes: Array(1...16), consumed: 12)
        let written = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 12) { area in
            #expect(area.count == 12)
            for i in 0..<12 { area[i] = UInt8(17 + i) }
            return 12
        }
        #expect(written == 12)
        #expect(buffer.capacity == 16)
        #expect(buffer.readableBytesArray == Array(13...28))
    }

    // MARK: - Discarding and shrinking

    @Test func discardReadBytesMovesTheReadableBytesToTheFront() {
        var buffer = buffer(capacity: 16, bytes: [1, 2, 3, 4, 5], consumed: 3)
        buffer.discardReadBytes()
        #expect(buffer.readerIndex == 0)
        #expect(buffer.writerIndex == 2)
        #expect(buffer.capacity == 16)
        #expect(buffer.writableBytes == 14)
        #expect(buffer.readableBytesArray == [4, 5])
    }

    @Test func discardReadBytesOfAFullyReadBufferResetsTheIndices() {
        var buffer = buffer(capacity: 16, bytes: [1, 2, 3], consumed: 3)
        buffer.discardReadBytes()
        #expect(buffer.readerIndex == 0 && buffer.writerIndex == 0)
        #expect(buffer.writableBytes == 16)
    }

    @Test func discardReadBytesWithNothingConsumedChangesNothing() {
        var buffer = buffer(capacity: 16, bytes: [1, 2, 3])
        buffer.discardReadBytes()
        #expect(buffer.readerIndex == 0 && buffer.writerIndex == 3)
        #expect(buffer.readableBytesArray == [1, 2, 3])
    }

    @Test func discardReadBytesOnASharedBufferLeavesTheCopyIntact() {
        var buffer = buffer(capacity: 16, bytes: [1, 2, 3, 4, 5], consumed: 2)
        let copy = buffer
        buffer.discardReadBytes()
        #expect(buffer.readerIndex == 0)
        #expect(buffer.readableBytesArray == [3, 4, 5])
        #expect(copy.readerIndex == 2)
        #expect(copy.readableBytesArray == [3, 4, 5])

        var drained = copy
        drained.moveReaderIndex(forwardBy: 3)
        drained.discardReadBytes()
        #expect(drained.isEmpty && drained.readerIndex == 0)
        #expect(copy.readableBytesArray == [3, 4, 5])
    }

    @Test func shrinkIfEmptyReleasesALargeIdleAllocation() {
        var buffer = buffer(capacity: 4096, bytes: [1, 2], consumed: 2)
        buffer.shrinkIfEmpty(above: 1024)
        #expect(buffer.capacity == 0)
        #expect(buffer.readerIndex == 0 && buffer.writerIndex == 0)
    }

    @Test func shrinkIfEmptyKeepsASmallAllocationButResetsTheIndices() {
        var buffer = buffer(capacity: 512, bytes: [1, 2], consumed: 2)
        buffer.shrinkIfEmpty(above: 512)
        #expect(buffer.capacity == 512)
        #expect(buffer.readerIndex == 0 && buffer.writerIndex == 0)
        #expect(buffer.writableBytes == 512)
    }

    @Test func shrinkIfEmptyNeverDropsUnreadBytes() {
        var buffer = buffer(capacity: 4096, bytes: [1, 2, 3], consumed: 2)
        buffer.shrinkIfEmpty(above: 0)
        #expect(buffer.capacity == 4096)
        #expect(buffer.readerIndex == 2)
        #expect(buffer.readableBytesArray == [3])
    }

    // MARK: - Equality and description

    @Test func equalityComparesOnlyTheReadableBytes() {
        let plain = ByteBuffer(bytes: Array(0..<20))
        let offset = buffer(capacity: 128, bytes: [0xAA, 0xBB] + Array(0..<20), consumed: 2)
        #expect(plain == offset)
        #expect(ByteBuffer() == ByteBuffer(capacity: 64))
        #expect(ByteBuffer() == buffer(capacity: 8, bytes: [1], consumed: 1))
    }

    @Test(arguments: [0, 3, 7, 8, 15, 16, 19])
    func buffersDifferingInOneByteAreUnequal(position: Int) {
        var bytes = Array(0..<UInt8(20))
        let plain = ByteBuffer(bytes: bytes)
        bytes[position] ^= 0x80
        #expect(plain != ByteBuffer(bytes: bytes))
    }

    @Test func buffersOfDifferentLengthsAreUnequal() {
        #expect(ByteBuffer(string: "abc") != ByteBuffer(string: "ab"))
        #expect(ByteBuffer(string: "") != ByteBuffer(string: "a"))
    }

    @Test func descriptionShowsIndicesCapacityAndHexBytes() {
        var buffer = buffer(capacity: 8, bytes: [0x00, 0x0A, 0xFF, 0x10])
        #expect(buffer.description == "ByteBuffer(r: 0, w: 4, cap: 8, [00 0a ff 10])")
        buffer.moveReaderIndex(forwardBy: 1)
        #expect(buffer.description == "ByteBuffer(r: 1, w: 4, cap: 8, [0a ff 10])")
        #expect(ByteBuffer().description == "ByteBuffer(r: 0, w: 0, cap: 0, [])")
    }

    @Test func descriptionShowsAtMost32BytesThenAnEllipsis() {
        let exact = ByteBuffer(bytes: [UInt8](repeating: 0x01, count: 32))
        #expect(exact.description == "ByteBuffer(r: 0, w: 32, cap: 32, ["
            + Array(repeating: "01", count: 32).joined(separator: " ") + "])")
        let long = ByteBuffer(bytes: [UInt8](repeating: 0x02, count: 33))
        #expect(long.description == "ByteBuffer(r: 0, w: 33, cap: 33, ["
            + Array(repeating: "02", count: 32).joined(separator: " ") + " …])")
    }

    // MARK: - Preconditions (programming errors, never peer input)

    @Test func movingTheReaderIndexPastTheWriterIndexTraps() async {
        await #expect(processExitsWith: .failure) {
            var buffer = ByteBuffer(string: "ab")
            buffer.moveReaderIndex(forwardBy: 3)
        }
    }

    @Test func movingTheWriterIndexPastTheCapacityTraps() async {
        await #expect(processExitsWith: .failure) {
            var buffer = ByteBuffer(capacity: 4)
            buffer.moveWriterIndex(forwardBy: 5)
        }
    }

    @Test func subscriptingPastTheReadableBytesTraps() async {
        await #expect(processExitsWith: .failure) {
            let buffer = ByteBuffer(capacity: 8)
            _ = buffer[0]
        }
    }
}
