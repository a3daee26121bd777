import Testing
@testable import WSGateAuth

@Suite(.timeLimit(.minutes(10))) struct ECDSASignatureDERTests {
    @Test func encodesSmallAndHighBitIntegers() {
        let r = [UInt8](repeating: 0, count: 31) + [0x05]
        let s = [0x80] + [UInt8](repeating: 0, count: 31)
        let der = ECDSASignatureDER.fromJOSE(r + s)
        #expect(der == [0x30, 3 + 35, 0x02, 0x01, 0x05, 0x02, 33, 0x00, 0x80] + [UInt8](repeating: 0, count: 31))
    }

    @Test func encodesZeroAsOneByte() {
        #expect(ECDSASignatureDER.fromJOSE([UInt8](repeating: 0, count: 64)) == [0x30, 6, 0x02, 1, 0, 0x02, 1, 0])
    }

    @Test(arguments: [0, 63, 65, 132])
    func refusesAnyLengthBut64(length: Int) {
        #expect(ECDSASignatureDER.fromJOSE([UInt8](repeating: 1, count: length)) == nil)
    }
}
