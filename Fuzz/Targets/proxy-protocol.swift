import WSGateBackends
import WSGateCore
import WSGateHTTP
import WSGatePosix

/// The PROXY protocol reader (v1 lines and v2 binary headers): the same answer whether the
/// bytes arrive at once, byte by byte or in random pieces; a header never longer than the input
/// nor than its version's limit; the header alone parses the same; every address it accepts
/// from a v1 line is one glibc's inet_pton reads the same way; and what it parsed, written again
/// (v1 by wsgate's own writer, v2 by `binaryHeader` below), parses back to the same header.
func parseProxyHeader(_ pieces: [ArraySlice<UInt8>]) -> ProxyProtocolParser.Result {
    var buffer = ByteBuffer()
    for piece in pieces {
        buffer.writeBytes(piece)
        let result = ProxyProtocolParser.parse(buffer)
        if result != .needMore { return result }
    }
    return .needMore
}

func parseAtOnce(_ bytes: some Sequence<UInt8>) -> ProxyProtocolParser.Result {
    parseProxyHeader([ArraySlice(bytes)])
}

/// The socket address for a parsed one, through text (dotted decimal, or eight hex sets).
func socketAddress(_ address: ProxyAddress) -> SocketAddress? {
    let bytes = address.bytes
    let text: String
    switch address {
    case .ipv4: text = bytes.map { String($0) }.joined(separator: ".")
    case .ipv6: text = stride(from: 0, to: 16, by: 2).map { String(Int(bytes[$0]) << 8 | Int(bytes[$0 + 1]), radix: 16) }.joined(separator: ":")
    }
    return SocketAddress(ipLiteral: text, port: Int(address.port))
}

/// A v2 header for `header`'s endpoints (PROXY, TCP over IPv4 or IPv6), or a LOCAL one.
func binaryHeader(_ header: ProxyHeader) -> [UInt8] {
    let signature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A]
    guard let endpoints = header.endpoints else { return signature + [0x20, 0x00, 0x00, 0x00] }
    let ports = [endpoints.source.port, endpoints.destination.port].flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    let block = endpoints.source.bytes + endpoints.destination.bytes + ports
    let family: UInt8 = block.count == 36 ? 0x21 : 0x11
    return signature + [0x21, family, 0x00, UInt8(block.count)] + block
}

/// v1: each address text of the accepted line, read by inet_pton, is the parsed address.
func checkAgainstInetPton(_ line: ArraySlice<UInt8>, _ endpoints: ProxyHeader.Endpoints) {
    let fields = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
    FuzzCheck.require(fields.count == 6, "an accepted TCP line has \(fields.count) fields")
    for (text, address) in [(fields[2], endpoints.source), (fields[3], endpoints.destination)] {
        let glibc = SocketAddress(ipLiteral: String(decoding: text, as: UTF8.self), port: Int(address.port))
        FuzzCheck.require(glibc != nil && glibc?.host == socketAddress(address)?.host,
                          "\(String(decoding: text, as: UTF8.self)) read as \(address), inet_pton: \(String(describing: glibc))")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProxyProtocol(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzCheck.input(data, size)
    // Byte by byte costs at most 107 bytes rescanned per byte (v1), one look per byte (v2).
    let whole = FuzzCheck.sameWholeAndInPieces(input, byteByByteUpTo: 8192, parseProxyHeader)
    guard case .header(let header, let consumed) = whole else { return 0 }
    let limit = header.version == .v1 ? ProxyProtocolParser.maxV1HeaderBytes : ProxyProtocolParser.maxV2HeaderBytes
    FuzzCheck.require(consumed <= input.count && consumed <= limit, "consumed \(consumed) of \(input.count)")
    FuzzCheck.require(parseAtOnce(input.prefix(consumed)) == whole, "the header alone: \(parseAtOnce(input.prefix(consumed)))")
    FuzzCheck.require(parseAtOnce(input.prefix(consumed - 1)) == .needMore, "one byte short: \(parseAtOnce(input.prefix(consumed - 1)))")

    switch header.version {
    case .v1:
        if let endpoints = header.endpoints { checkAgainstInetPton(input[..<(consumed - 2)], endpoints) }
        let client = header.endpoints.map { socketAddress($0.source) } ?? nil
        let server = header.endpoints.map { socketAddress($0.destination) } ?? nil
        FuzzCheck.require(header.endpoints == nil || client != nil && server != nil, "no socket address for \(header)")
        let line = Array(ProxyProtocolHeader.v1(client: client, server: server).utf8)
        let again = parseAtOnce(line)
        FuzzCheck.require(again == .header(header, consumed: line.count),
                          "\(header) written as \(String(decoding: line, as: UTF8.self).debugDescription) read back as \(again)")
    case .v2:
        let encoded = binaryHeader(header)
        let again = parseAtOnce(encoded)
        FuzzCheck.require(again == .header(header, consumed: encoded.count), "\(header) encoded as \(encoded) read back as \(again)")
    }
    return 0
}
