import Glibc

/// What each benchmark message contains, and the check of echoed bytes against it.
///
/// Why it exists: an echo benchmark must prove the bytes came back intact and in order, without
/// storing what was sent. Message `k` of a stream is a window of one fixed array, starting at
/// `((first + k) % variants) × stride`, so consecutive messages differ (a lost or repeated
/// message shows), different connections start at different windows (crossed connections
/// show), and any stream offset maps straight to its expected bytes.
///
/// Kinds (`--payload`):
/// - `random`: pseudo-random bytes, 256 windows one byte apart. Text uses only the letters
///   a–z: valid UTF-8 without newlines (line-mode backends split on those).
/// - `json`: text a compressor sees as real traffic would be, for permessage-deflate: each
///   message is a whole JSON array of objects with the same keys and varying numbers and
///   strings (ASCII, no newline), 64 different messages laid end to end (`stride` = the
///   message size). Windows that overlapped would let a compressor with context takeover
///   send most of a message as one back-reference to the one before.
struct PayloadPattern {
    enum Kind: String {
        case random, json
    }

    /// How many different message windows there are.
    let variants: Int
    let messageSize: Int
    /// How far apart two windows start.
    private let stride: Int
    private let bytes: [UInt8]

    /// The largest `json` message (the pattern holds 64 of them).
    static let largestJSONMessage = 1 << 20
    /// The smallest `json` message: `[{"pad":""}]`.
    static let smallestJSONMessage = 12

    init(messageSize: Int, text: Bool, kind: Kind = .random, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) {
        self.messageSize = messageSize
        var random = XorShift(state: seed)
        switch kind {
        case .random:
            variants = 256
            stride = 1
            bytes = (0 ..< messageSize + variants).map { _ in
                let value = random.nextByte()
                return text ? 0x61 + value % 26 : value
            }
        case .json:
            precondition((Self.smallestJSONMessage...Self.largestJSONMessage).contains(messageSize),
                         "a json message of \(messageSize) bytes")
            variants = 64
            stride = messageSize
            var bytes: [UInt8] = []
            bytes.reserveCapacity(variants * messageSize)
            for index in 0 ..< variants { bytes += Self.jsonMessage(size: messageSize, number: index, random: &random) }
            self.bytes = bytes
        }
    }

    /// Calls `body` with the payload of message `index` of a stream that starts at window `first`.
    func withMessage<R>(_ index: Int, first: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let start = (first + index) % variants * stride
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
                let start = (first + message) % variants * stride + within
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

    // MARK: - json

    private static let names = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
                                "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter"]
    private static let cities = ["Berlin", "Lisbon", "Osaka", "Toronto", "Nairobi", "Lima", "Oslo", "Hanoi", "Austin"]
    private static let tags = ["admin", "beta", "mobile", "desktop", "trial", "premium", "eu", "us", "apac", "new"]

    /// One message: `[{...},{...},...,{"pad":"..."}]`, exactly `size` bytes. The objects look
    /// like an API's list of users; the last one pads with letters to the exact size.
    private static func jsonMessage(size: Int, number: Int, random: inout XorShift) -> [UInt8] {
        let closing = "]"
        let padPrefix = "{\"pad\":\""
        let padSuffix = "\"}"
        let padMinimum = padPrefix.utf8.count + padSuffix.utf8.count
        var text = "["
        var id = number * 1000
        while true {
            id += 1 + Int(random.next() % 7)
            let object = jsonObject(id: id, random: &random)
            // Room for this object, its comma, the pad object and the closing bracket.
            guard text.utf8.count + object.utf8.count + 1 + padMinimum + closing.utf8.count <= size else { break }
            text += object + ","
        }
        let padLength = size - text.utf8.count - padMinimum - closing.utf8.count
        var pad = ""
        for _ in 0 ..< padLength { pad.unicodeScalars.append(Unicode.Scalar(0x61 + random.nextByte() % 26)) }
        text += padPrefix + pad + padSuffix + closing
        let bytes = Array(text.utf8)
        precondition(bytes.count == size, "json message of \(bytes.count) bytes, wanted \(size)")
        return bytes
    }

    private static func jsonObject(id: Int, random: inout XorShift) -> String {
        let name = names[Int(random.next() % UInt64(names.count))]
        let city = cities[Int(random.next() % UInt64(cities.count))]
        let tagCount = 1 + Int(random.next() % 3)
        let tagList = (0 ..< tagCount).map { _ in "\"" + tags[Int(random.next() % UInt64(tags.count))] + "\"" }
        let score = random.next() % 100_000
        let latitude = Int(random.next() % 180_000_000) - 90_000_000
        let longitude = Int(random.next() % 360_000_000) - 180_000_000
        let seconds = 1_767_225_600 + random.next() % 31_536_000
        return "{\"id\":\(id),\"user\":\"\(name)\(random.next() % 1000)\",\"email\":\"\(name).\(id)@example.com\","
            + "\"active\":\(random.next() % 4 != 0),\"score\":\(score / 100).\(score % 100),"
            + "\"location\":{\"city\":\"\(city)\",\"lat\":\(decimal(latitude)),\"lon\":\(decimal(longitude))},"
            + "\"tags\":[\(tagList.joined(separator: ","))],\"created\":\(seconds)}"
    }

    /// A coordinate in millionths as a decimal (`-12.345678`).
    private static func decimal(_ millionths: Int) -> String {
        let magnitude = abs(millionths)
        let fraction = String(magnitude % 1_000_000)
        return (millionths < 0 ? "-" : "") + "\(magnitude / 1_000_000)."
            + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}

/// xorshift64*: cheap, and far from any pattern a buggy relay could produce.
private struct XorShift {
    var state: UInt64

    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }

    mutating func nextByte() -> UInt8 {
        UInt8(truncatingIfNeeded: next() >> 56)
    }
}
