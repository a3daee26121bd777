import WSGateWebSocket

/// A text message of any size, made and masked a chunk at a time, with the hash of its
/// payload: a 64 MiB message costs the test 256 KiB, not 64 MiB.
///
/// Its payload is 16-byte records, each the record's number in 8 hex digits and "κόσμ" (so
/// multi-byte characters everywhere, no `\n`): a byte lost, repeated or moved changes the
/// hash. `invalidByteAt` puts a 0xFF there instead (never valid UTF-8).
public struct LargeTextMessage {
    static let chunkLength = 1 << 18
    static let recordTail = Array("κόσμ".utf8)
    static let hexDigits = Array("0123456789abcdef".utf8)

    public let length: Int
    public let invalidByteAt: Int?
    /// Bytes of the frame to send: the payload stops after `sentPayloadLength` of them.
    public let sentPayloadLength: Int
    private let key = FrameBytes.defaultKey
    private var produced = 0
    private var headerSent = false
    /// FNV-1a of the payload made so far.
    public private(set) var hash = PayloadHash()

    /// `length` a multiple of 16; `sentPayloadLength` (default: all) a multiple of 4.
    public init(length: Int, invalidByteAt: Int? = nil, sentPayloadLength: Int? = nil) {
        precondition(length % 16 == 0 && (sentPayloadLength ?? 0) % 4 == 0)
        self.length = length
        self.invalidByteAt = invalidByteAt
        self.sentPayloadLength = sentPayloadLength ?? length
    }

    /// The next bytes of the frame (the header first), nil when all are out.
    public mutating func nextChunk() -> [UInt8]? {
        if !headerSent {
            headerSent = true
            return FrameBytes.header(opcode: WebSocketOpcode.text.rawValue, declaredLength: UInt64(length), maskingKey: key)
        }
        guard produced < sentPayloadLength else { return nil }
        let count = Swift.min(Self.chunkLength, sentPayloadLength - produced)
        // Whole records are made; a last chunk that ends inside one is cut after.
        var chunk = [UInt8](repeating: 0, count: (count + 15) / 16 * 16)
        chunk.withUnsafeMutableBytes { records in
            let bytes = UnsafeMutableRawBufferPointer(rebasing: records[..<count])
            var record = produced / 16
            var index = 0
            while index < records.count {
                var number = record
                for digit in (0..<8).reversed() {
                    records[index + digit] = Self.hexDigits[number & 0xF]
                    number >>= 4
                }
                for (offset, byte) in Self.recordTail.enumerated() { records[index + 8 + offset] = byte }
                index += 16
                record += 1
            }
            if let invalid = invalidByteAt, invalid >= produced, invalid < produced + count {
                bytes[invalid - produced] = 0xFF
            }
            hash.add(UnsafeRawBufferPointer(bytes))
            // Masked four bytes at a time: every chunk starts at a multiple of 4.
            let keyWord = key.bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
            var word = 0
            while word + 4 <= count {
                bytes.storeBytes(of: bytes.loadUnaligned(fromByteOffset: word, as: UInt32.self) ^ keyWord,
                                 toByteOffset: word, as: UInt32.self)
                word += 4
            }
        }
        produced += count
        chunk.removeLast(chunk.count - count)
        return chunk
    }
}

/// 64-bit FNV-1a, fed in pieces: the same hash however the bytes are cut.
public struct PayloadHash: Equatable, Sendable {
    public init() {}

    public private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325
    public private(set) var count = 0

    public mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var value = self.value
        for byte in bytes {
            value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        self.value = value
        count += bytes.count
    }

    public mutating func add(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { add($0) }
    }
}
