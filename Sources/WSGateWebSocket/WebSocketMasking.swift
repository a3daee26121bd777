/// XOR masking of frame payloads (RFC 6455 §5.3).
///
/// Why it exists: every client-to-server payload byte goes through this, so it works in place,
/// 8 bytes at a time, and can resume mid-payload (`offset`) so the decoder unmasks each chunk
/// as it arrives. It does not allocate and does not know about frames.
public enum WebSocketMasking {
    /// §5.3: "Octet i of the transformed data ("transformed-octet-i") is the XOR of octet i of
    /// the original data ("original-octet-i") with octet at index i modulo 4 of the masking
    /// key ("masking-key-octet-j"): j = i MOD 4".
    ///
    /// `offset` is the position of `bytes[0]` within the frame payload. Masking is its own
    /// inverse, so this both masks and unmasks.
    public static func apply(
        key: WebSocketMaskingKey,
        to bytes: UnsafeMutableRawBufferPointer,
        startingAt offset: Int
    ) {
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress else { return }
        let phase = offset & 3
        // The key rotated so that its first octet in memory applies to bytes[0], repeated to
        // 8 bytes; built byte by byte, so it is right on any endianness.
        var wide: UInt64 = 0
        withUnsafeMutableBytes(of: &wide) { lanes in
            for lane in 0 ..< 8 { lanes[lane] = key[(phase + lane) & 3] }
        }
        var index = 0
        while index + 8 <= count {
            let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            base.storeBytes(of: word ^ wide, toByteOffset: index, as: UInt64.self)
            index += 8
        }
        // Index is a multiple of 8 here, so the key phase for the tail is still `phase`.
        while index < count {
            base.storeBytes(of: base.load(fromByteOffset: index, as: UInt8.self) ^ key[(phase + index) & 3],
                            toByteOffset: index, as: UInt8.self)
            index += 1
        }
    }
}
