// MARK: - The static file server's validator

extension EntityTag {
    /// The tag of a file's current content: `"<size>-<seconds>.<nanoseconds>"`, each number in
    /// lowercase hexadecimal (the seconds as their two's-complement bit pattern when negative),
    /// from `stat(2)`'s size and modification time, e.g. `"4d2-6553f100.1dcd6500"`.
    ///
    /// Strong, so that `If-Range` (which only a strong tag can satisfy) lets clients resume
    /// downloads. The bet, shared with common servers: a file rewritten with other bytes
    /// changes its size or its nanosecond mtime. It does not hold when a tool restores an old
    /// mtime (`touch -r`, `cp -p`, `rsync -t`) on a file of the same size; hashing the content
    /// would cost a read of every file per request. The inode is left out, so the tag survives
    /// a copy with its times and is the same on every replica.
    public static func forFile(size: Int, modificationSeconds: Int, modificationNanoseconds: Int) -> EntityTag {
        // Written into one buffer (per request, so no string per number).
        var bytes: [UInt8] = []
        bytes.reserveCapacity(3 * 16 + 2)
        appendHex(size, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendHex(modificationSeconds, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        appendHex(modificationNanoseconds, to: &bytes)
        // Hexadecimal digits, "-" and "." are etagc.
        return EntityTag(validOpaqueTag: String(decoding: bytes, as: UTF8.self), isWeak: false)
    }

    private static func appendHex(_ value: Int, to bytes: inout [UInt8]) {
        let bits = UInt(bitPattern: value)
        let digits = max(1, (UInt.bitWidth - bits.leadingZeroBitCount + 3) / 4)
        for shift in stride(from: (digits - 1) * 4, through: 0, by: -4) {
            let nibble = UInt8(truncatingIfNeeded: bits >> UInt(shift)) & 0xF
            bytes.append(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10)
        }
    }
}
