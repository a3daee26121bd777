import Glibc

/// What each benchmark message contains, and the check of echoed bytes against it.
///
/// Why it exists: an echo benchmark must prove the bytes came back intact and in order, without
/// storing what was sent. Message `k` of a stream is a window of one fixed pseudo-random array,
/// starting at `(first + k) % variants`, so consecutive messages differ (a lost or repeated
/// message shows), different connections start at different windows (crossed connections
/// show), and any stream offset maps straight to its expected bytes. Text patterns use only the
/// letters a–z: valid UTF-8 without newlines (line-mode backends split on those).
struct PayloadPattern {
    /// How many different message windows there are.
    static let variants = 256
    let messageSize: Int
    private let bytes: [UInt8]

    init(messageSize: Int, text: Bool, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) {
        self.messageSize = messageSize
        var state = seed
        var bytes = [UInt8](repeating: 0, count: messageSize + Self.variants)
        for index in bytes.indices {
            // xorshift64*: cheap, and far from any pattern a buggy relay could produce.
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            let value = UInt8(truncatingIfNeeded: (state &* 0x2545_F491_4F6C_DD1D) >> 56)
            bytes[index] = text ? 0x61 + value % 26 : value
        }
        self.bytes = bytes
    }

    /// Calls `body` with the payload of message `index` of a stream that starts at window `first`.
    func withMessage<R>(_ index: Int, first: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let start = (first + index) % Self.variants
        return bytes.withUnsafeBytes { all in
            body(UnsafeRawBufferPointer(rebasing: all[start ..< start + messageSize]))
        }
    }

    /// `nil` if `chunk` equals the stream's bytes from `offset` on, else the offset of the
    /// first byte that differs.
    func firstMismatch(in chunk: UnsafeRawBufferPointer, atStreamOffset offset: Int, first: Int) -> Int? {
        var position = 0
        return bytes.withUnsafeBytes { all -> Int? in
            while position < chunk.count {
                let streamOffset = offset + position
                let message = streamOffset / messageSize
                let within = streamOffset % messageSize
                let count = Swift.min(messageSize - within, chunk.count - position)
                let start = (first + message) % Self.variants + within
                if memcmp(chunk.baseAddress! + position, all.baseAddress! + start, count) != 0 {
                    for index in 0 ..< count where chunk[position + index] != all[start + index] {
                        return streamOffset + index
                    }
                }
                position += count
            }
            return nil
        }
    }
}
