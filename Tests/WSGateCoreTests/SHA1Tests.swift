import Testing
import WSGateCore

@Suite(.timeLimit(.minutes(10))) struct SHA1Tests {
    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// FIPS 180-2 Appendix A vectors and the usual extra ones.
    static let vectors: [(String, String)] = [
        ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        // 448 bits: the padding does not fit in the first block.
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "a49b2446a02c645bf419f995b67091253a04a259"),
        ("The quick brown fox jumps over the lazy dog", "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"),
    ]

    @Test(arguments: vectors.indices)
    func knownVector(_ index: Int) {
        let (message, digest) = Self.vectors[index]
        #expect(Self.hex(SHA1.hash(Array(message.utf8))) == digest)
    }

    @Test func oneMillionA() {
        var hasher = SHA1()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0 ..< 1000 { hasher.update(chunk) }
        #expect(Self.hex(hasher.finalize()) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    @Test func digestIsTwentyBytes() {
        #expect(SHA1.hash([UInt8]()).count == 20)
    }

    /// Any way of cutting the input gives the same digest, including pieces that straddle
    /// block boundaries.
    @Test(arguments: [[1], [3, 7], [63, 1], [64], [65, 2], [5, 59, 64, 1], [127, 3], [55, 1, 1]])
    func incrementalUpdatesInOddPieces(_ pattern: [Int]) {
        let message = (0 ..< 1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var hasher = SHA1()
        var index = 0
        var step = 0
        while index < message.count {
            let size = min(pattern[step % pattern.count], message.count - index)
            message[index ..< index + size].withUnsafeBytes { hasher.update($0) }
            index += size
            step += 1
        }
        #expect(hasher.finalize() == SHA1.hash(message))
    }

    /// Lengths around the padding boundary, checked against the 448-bit vector split in every
    /// possible place (so a wrong carry of the pending bytes shows).
    @Test func everySplitOfThe448BitVector() {
        let message = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        for split in 0 ... message.count {
            var hasher = SHA1()
            hasher.update(message[..<split])
            hasher.update(message[split...])
            #expect(Self.hex(hasher.finalize()) == "84983e441c3bd26ebaae4aa1f95129e5e54670f1", "split \(split)")
        }
    }

    @Test func nonContiguousSequence() {
        let message = "abc".utf8.lazy.map { $0 }
        var hasher = SHA1()
        hasher.update(message)
        #expect(Self.hex(hasher.finalize()) == "a9993e364706816aba3e25717850c26c9cd0d89d")
    }
}
