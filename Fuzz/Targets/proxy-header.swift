import WSGateBackends
import WSGatePosix

/// The PROXY protocol v1 line wsgate writes to a backend: for any pair of addresses it is one
/// line of at most 107 bytes (the specification's maximum), ending in CRLF, that a backend
/// reads back as exactly those addresses and ports.
func address(_ bytes: ArraySlice<UInt8>, ipv6: Bool) -> SocketAddress? {
    let b = Array(bytes)
    guard b.count >= (ipv6 ? 18 : 6) else { return nil }
    let port = Int(b[0]) << 8 | Int(b[1])
    let text = ipv6
        ? stride(from: 2, to: 18, by: 2).map { String(Int(b[$0]) << 8 | Int(b[$0 + 1]), radix: 16) }.joined(separator: ":")
        : b[2..<6].map { String($0) }.joined(separator: ".")
    return SocketAddress(ipLiteral: text, port: port)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProxyHeader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzCheck.input(data, size)
    guard let first = input.first else { return 0 }
    let ipv6 = first & 1 == 1
    let width = ipv6 ? 18 : 6
    let client = address(input.dropFirst().prefix(width), ipv6: ipv6)
    let server = address(input.dropFirst(1 + width).prefix(width), ipv6: first & 2 == 2 ? !ipv6 : ipv6)
    let line = ProxyProtocolHeader.v1(client: client, server: server)
    FuzzCheck.require(line.utf8.count <= 107, "\(line.utf8.count) bytes: \(line)")
    // Bytes, not Characters: "\r\n" is a single Character in Swift.
    let bytes = Array(line.utf8)
    let body = bytes.dropLast(2)
    FuzzCheck.require(bytes.suffix(2) == [0x0D, 0x0A] && !body.contains(0x0D) && !body.contains(0x0A),
                      "not one CRLF line: \(line.debugDescription)")
    guard let client, let server, client.isIPv6 == server.isIPv6 else {
        FuzzCheck.require(line == "PROXY UNKNOWN\r\n", "mixed families gave \(line)")
        return 0
    }
    let fields = body.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    FuzzCheck.require(fields.count == 6 && fields[0] == "PROXY" && fields[1] == (client.isIPv6 ? "TCP6" : "TCP4"), "\(fields)")
    let readClient = SocketAddress(ipLiteral: fields[2], port: Int(fields[4]) ?? -1)
    let readServer = SocketAddress(ipLiteral: fields[3], port: Int(fields[5]) ?? -1)
    FuzzCheck.require(readClient?.host == client.host && readClient?.port == client.port, "client read back as \(fields)")
    FuzzCheck.require(readServer?.host == server.host && readServer?.port == server.port, "server read back as \(fields)")
    return 0
}
