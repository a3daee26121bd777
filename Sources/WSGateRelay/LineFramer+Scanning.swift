// MARK: - Finding the end of a line quickly

extension LineFramer {
    /// Offset of the first "\n" in `bytes`, or nil. Looks at eight bytes per step: a word XOR
    /// "\n\n\n\n\n\n\n\n" has a zero byte exactly where a newline is, and
    /// `(w - 0x01…01) & ~w & 0x80…80` flags zero bytes; the lowest flag is always a real one
    /// (false flags only appear above a real zero byte, from the borrow).
    static func firstNewline(in bytes: UnsafeRawBufferPointer) -> Int? {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let pattern = ones &* UInt64(newline)
        let count = bytes.count
        var index = 0
        while index + 8 <= count {
            // Little-endian view: the first byte in memory is the lowest byte of the word.
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)) ^ pattern
            let zeros = (word &- ones) & ~word & highBits
            if zeros != 0 { return index + zeros.trailingZeroBitCount / 8 }
            index += 8
        }
        while index < count {
            if bytes[index] == newline { return index }
            index += 1
        }
        return nil
    }
}
