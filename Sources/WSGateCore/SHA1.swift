/// SHA-1 (FIPS 180-4), written here so the gateway needs neither Foundation nor CryptoKit
/// (neither is available or wanted in the pure layers on Linux).
///
/// Why it exists: RFC 6455 §4.2.2 defines `Sec-WebSocket-Accept` as
/// base64(SHA-1(key + GUID)); that accept key is the ONLY use. SHA-1 is broken for collision
/// resistance, so this type must not be used for anything security-related (signatures,
/// passwords, integrity checks against an attacker).
public struct SHA1: Sendable {
    /// Bytes in one compression block (FIPS 180-4 §5.2.1).
    public static let blockSize = 64
    /// Bytes in a digest.
    public static let digestSize = 20

    /// The five chaining words, initialised per FIPS 180-4 §5.3.1.
    private var h0: UInt32 = 0x6745_2301
    private var h1: UInt32 = 0xEFCD_AB89
    private var h2: UInt32 = 0x98BA_DCFE
    private var h3: UInt32 = 0x1032_5476
    private var h4: UInt32 = 0xC3D2_E1F0
    /// Bytes of the current, not yet compressed block.
    private var pending: [UInt8] = []
    /// Total message length in bytes so far.
    private var totalLength: UInt64 = 0

    /// A hasher with no input yet.
    public init() {
        pending.reserveCapacity(Self.blockSize)
    }

    /// Adds `bytes` to the message.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        totalLength &+= UInt64(bytes.count)
        var index = 0
        if !pending.isEmpty {
            let take = Swift.min(Self.blockSize - pending.count, bytes.count)
            pending.append(contentsOf: bytes[0 ..< take])
            index = take
            if pending.count == Self.blockSize {
                pending.withUnsafeBytes { compress(block: $0) }
                pending.removeAll(keepingCapacity: true)
            }
        }
        while bytes.count - index >= Self.blockSize {
            compress(block: UnsafeRawBufferPointer(rebasing: bytes[index ..< index + Self.blockSize]))
            index += Self.blockSize
        }
        if index < bytes.count {
            pending.append(contentsOf: bytes[index...])
        }
    }

    /// Adds `bytes` to the message.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done != nil { return }
        let array = Array(bytes)
        array.withUnsafeBytes { update($0) }
    }

    /// Pads the message (FIPS 180-4 §5.1.1) and returns the 20-byte digest.
    public consuming func finalize() -> [UInt8] {
        let bitLength = totalLength &* 8
        var padding: [UInt8] = [0x80]
        let afterMarker = (pending.count + 1) % Self.blockSize
        let zeros = afterMarker <= 56 ? 56 - afterMarker : 56 + Self.blockSize - afterMarker
        padding.append(contentsOf: repeatElement(0, count: zeros))
        for shift in stride(from: 56, through: 0, by: -8) {
            padding.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }
        let savedLength = totalLength
        padding.withUnsafeBytes { update($0) }
        totalLength = savedLength
        var digest: [UInt8] = []
        digest.reserveCapacity(Self.digestSize)
        for word in [h0, h1, h2, h3, h4] {
            digest.append(UInt8(truncatingIfNeeded: word >> 24))
            digest.append(UInt8(truncatingIfNeeded: word >> 16))
            digest.append(UInt8(truncatingIfNeeded: word >> 8))
            digest.append(UInt8(truncatingIfNeeded: word))
        }
        return digest
    }

    /// The digest of `bytes` in one call.
    public static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var hasher = SHA1()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Processes one 64-byte block (FIPS 180-4 §6.1.2).
    private mutating func compress(block: UnsafeRawBufferPointer) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 80) { w in
            for t in 0 ..< 16 {
                w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: t * 4, as: UInt32.self))
            }
            for t in 16 ..< 80 {
                w[t] = rotateLeft(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], by: 1)
            }
            var a = h0, b = h1, c = h2, d = h3, e = h4
            for t in 0 ..< 80 {
                let f: UInt32
                let k: UInt32
                switch t {
                case 0 ..< 20: f = (b & c) | (~b & d); k = 0x5A82_7999
                case 20 ..< 40: f = b ^ c ^ d; k = 0x6ED9_EBA1
                case 40 ..< 60: f = (b & c) | (b & d) | (c & d); k = 0x8F1B_BCDC
                default: f = b ^ c ^ d; k = 0xCA62_C1D6
                }
                let temp = rotateLeft(a, by: 5) &+ f &+ e &+ k &+ w[t]
                e = d
                d = c
                c = rotateLeft(b, by: 30)
                b = a
                a = temp
            }
            h0 &+= a
            h1 &+= b
            h2 &+= c
            h3 &+= d
            h4 &+= e
        }
    }

    @inline(__always) private func rotateLeft(_ value: UInt32, by count: UInt32) -> UInt32 {
        (value << count) | (value >> (32 - count))
    }
}
