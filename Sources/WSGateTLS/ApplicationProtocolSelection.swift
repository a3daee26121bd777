import COpenSSL

/// The one application protocol wsgate speaks, as ALPN names it (RFC 7301 §6).
private let http11: [UInt8] = Array("http/1.1".utf8)

/// ALPN (RFC 7301): answers `http/1.1` when the client offers it, and sends no ALPN answer
/// otherwise (a client that offers only `h2` then fails on its own terms rather than on an
/// alert from us).
///
/// Why it exists: browsers and HTTP clients offer `h2` and `http/1.1`; a server that answers
/// nothing leaves some clients guessing, and WebSocket over HTTP/1.1 is all wsgate speaks.
/// A C-convention function because OpenSSL calls it during the handshake.
let selectHTTP11: @convention(c) (
    OpaquePointer?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, UnsafeMutablePointer<UInt8>?,
    UnsafePointer<UInt8>?, UInt32, UnsafeMutableRawPointer?
) -> Int32 = { _, out, outLength, offered, offeredLength, _ in
    guard let out, let outLength, let offered else { return SSL_TLSEXT_ERR_NOACK }
    let wanted = http11
    // The client's list: each name is a length byte followed by that many bytes (RFC 7301 §3.1).
    var index = 0
    let end = Int(offeredLength)
    while index < end {
        let length = Int(offered[index])
        let start = index + 1
        guard length > 0, start + length <= end else { return SSL_TLSEXT_ERR_NOACK }
        if length == wanted.count && (0..<length).allSatisfy({ offered[start + $0] == wanted[$0] }) {
            out.pointee = offered + start
            outLength.pointee = UInt8(length)
            return SSL_TLSEXT_ERR_OK
        }
        index = start + length
    }
    return SSL_TLSEXT_ERR_NOACK
}
