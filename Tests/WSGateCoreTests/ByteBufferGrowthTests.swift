import Testing
@testable import WSGateCore

/// The arithmetic of growing a buffer: doubling, and no overflow near `Int.max`.
@Suite(.timeLimit(.minutes(10))) struct ByteBufferGrowthTests {
    @Test func capacityDoublesFrom64() {
        #expect(ByteBuffer.grownCapacity(from: 0, toHold: 1) == 64)
        #expect(ByteBuffer.grownCapacity(from: 64, toHold: 65) == 128)
        #expect(ByteBuffer.grownCapacity(from: 100, toHold: 1000) == 1600)
        #expect(ByteBuffer.grownCapacity(from: 4096, toHold: 10) == 4096)
    }

    /// Doubling past `Int.max / 2` would overflow (a trap): the need itself is the answer then.
    @Test(arguments: [Int.max / 2 + 1, Int.max / 2 + 10, Int.max - 1, Int.max])
    func aNeedNearIntMaxIsMetWithoutOverflow(needed: Int) {
        #expect(ByteBuffer.grownCapacity(from: 64, toHold: needed) == needed)
        #expect(ByteBuffer.grownCapacity(from: 1 << 62, toHold: needed) == needed)
    }

    /// A reservation whose sum with the readable bytes overflows is a caller's bug: a clear
    /// trap, never a wrapped (small) size.
    @Test func aReservationThatOverflowsTraps() async {
        await #expect(processExitsWith: .failure) {
            var buffer = ByteBuffer(bytes: [1, 2, 3])
            buffer.reserveWritableBytes(Int.max - 1)
        }
    }
}
