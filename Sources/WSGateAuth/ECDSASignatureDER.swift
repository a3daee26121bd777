/// Turns a JOSE ECDSA signature into the DER `ECDSA-Sig-Value` OpenSSL verifies.
///
/// Why it exists: JWS writes an ES256 signature as 64 raw bytes, R then S, each 32 bytes big
/// endian (RFC 7518 §3.4), while OpenSSL reads `SEQUENCE { INTEGER r, INTEGER s }` (RFC 3279
/// §2.2.3). Done by hand: two short integers, always under 128 bytes, so every length is one byte.
enum ECDSASignatureDER {
    /// The DER form of `raw` (R || S, 64 bytes for P-256), or nil when it is not 64 bytes.
    static func fromJOSE(_ raw: [UInt8]) -> [UInt8]? {
        guard raw.count == 64 else { return nil }
        let r = integer(raw[0 ..< 32])
        let s = integer(raw[32 ..< 64])
        return [0x30, UInt8(r.count + s.count)] + r + s
    }

    /// A DER INTEGER of the unsigned big-endian `bytes`: leading zeros dropped (one kept for
    /// zero), and a zero put back when the top bit is set, so the number stays positive.
    private static func integer(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var digits = bytes.drop { $0 == 0 }
        if digits.isEmpty { digits = [0] }
        let content = (digits.first! & 0x80 != 0 ? [0] : []) + Array(digits)
        return [0x02, UInt8(content.count)] + content
    }
}
