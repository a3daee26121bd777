import Testing
import WSGateHTTP

/// The version 2 binary header (section 2.2 of HAProxy's proxy-protocol.txt).
@Suite struct ProxyProtocolBinaryHeaderTests {
    /// 203.0.113.7:51234 → 192.0.2.10:443 as a TCP over IPv4 address block.
    let ipv4Block: [UInt8] = [203, 0, 113, 7, 192, 0, 2, 10, 0xC8, 0x22, 0x01, 0xBB]
    let ipv4Endpoints = ProxyHeader.Endpoints(source: .ipv4([203, 0, 113, 7], port: 51234),
                                              destination: .ipv4([192, 0, 2, 10], port: 443))
    let request = bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n")

    func proxied(_ endpoints: ProxyHeader.Endpoints?, consumed: Int) -> ProxyProtocolParser.Result {
        .header(ProxyHeader(version: .v2, endpoints: endpoints), consumed: consumed)
    }

    // MARK: - what HAProxy 2.6 sends with send-proxy-v2

    @Test func tcpOverIPv4() {
        let header = proxyV2(ipv4Block)
        #expect(header.count == 28)
        #expect(proxyFeedAllWays(header + request) == proxied(ipv4Endpoints, consumed: 28))
        expectEveryPrefixNeedsMore(header)
    }

    @Test func tcpOverIPv4WithTheClientsALPN() {
        // HAProxy adds PP2_TYPE_ALPN (0x01) when the client's connection negotiated one.
        let header = proxyV2(ipv4Block + [0x01, 0x00, 0x02] + bytes("h2"))
        #expect(proxyFeedAllWays(header + request) == proxied(ipv4Endpoints, consumed: 33))
        expectEveryPrefixNeedsMore(header)
    }

    @Test func tcpOverIPv6() {
        let source: [UInt8] = [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [0x07]
        let destination: [UInt8] = [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [0x10]
        let header = proxyV2(family: 0x21, source + destination + [0xC8, 0x22, 0x01, 0xBB])
        #expect(header.count == 52)
        let endpoints = ProxyHeader.Endpoints(source: .ipv6(source, port: 51234), destination: .ipv6(destination, port: 443))
        #expect(proxyFeedAllWays(header + request) == proxied(endpoints, consumed: 52))
        expectEveryPrefixNeedsMore(header)
    }

    @Test func localHealthCheck() {
        // HAProxy's own connections (health checks): LOCAL, UNSPEC, no address.
        let header = proxyV2(command: 0x20, family: 0x00, [])
        #expect(proxyFeedAllWays(header + request) == proxied(nil, consumed: 16))
    }

    @Test func localSkipsWhateverBlockItHas() {
        // "Receivers MUST always consider this field to skip the appropriate number of bytes and
        // must not assume zero is presented for LOCAL connections."
        #expect(proxyFeedAllWays(proxyV2(command: 0x20, ipv4Block) + request) == proxied(nil, consumed: 28))
        #expect(proxyFeedAllWays(proxyV2(command: 0x20, family: 0x21, [1, 2, 3])) == proxied(nil, consumed: 19))
    }

    // MARK: - families without usable endpoints

    @Test func unspecifiedFamilyKeepsTheSocketsAddresses() {
        #expect(proxyFeedAllWays(proxyV2(family: 0x00, [])) == proxied(nil, consumed: 16))
        // "The receiver should ignore address information": the block is skipped unread.
        #expect(proxyFeedAllWays(proxyV2(family: 0x00, [9, 9, 9, 9, 9])) == proxied(nil, consumed: 21))
    }

    @Test(arguments: [(UInt8(0x12), 12), (0x22, 36), (0x31, 216), (0x32, 216)])
    func udpAndUnixFallBackToUnspecified(family: UInt8, addressBytes: Int) {
        let block = [UInt8](repeating: 7, count: addressBytes)
        #expect(proxyFeedAllWays(proxyV2(family: family, block)) == proxied(nil, consumed: 16 + addressBytes))
        #expect(proxyParse(proxyV2(family: family, Array(block.dropLast()))) == .invalid(.addressBlockTooShort))
    }

    @Test(arguments: [UInt8(0x13), 0x23, 0x33, 0x41, 0x01, 0x02, 0x10, 0x20, 0x30, 0xFF])
    func otherFamilyBytesAreRefusedAsSoonAsTheyArrive(family: UInt8) {
        #expect(proxyParse(proxyV2Signature + [0x21, family]) == .invalid(.unknownAddressFamily))
        #expect(proxyFeedAllWays(proxyV2(family: family, ipv4Block)) == .invalid(.unknownAddressFamily))
    }

    // MARK: - refused headers

    @Test(arguments: [UInt8(0x11), 0x01, 0x31, 0xF1])
    func onlyVersion2(versionAndCommand: UInt8) {
        #expect(proxyParse(proxyV2Signature + [versionAndCommand]) == .invalid(.unsupportedVersion))
    }

    @Test(arguments: [UInt8(0x22), 0x2F])
    func onlyLocalAndProxyCommands(versionAndCommand: UInt8) {
        #expect(proxyFeedAllWays(proxyV2(command: versionAndCommand, ipv4Block)) == .invalid(.unknownCommand))
    }

    @Test func aHugeLengthIsRefusedBeforeAnythingIsBuffered() {
        let fixed = proxyV2Signature + [0x21, 0x11, 0xFF, 0xFF]
        #expect(proxyParse(fixed) == .invalid(.headerTooLarge))
        let largest = ProxyProtocolParser.maxV2HeaderBytes - 16
        #expect(proxyParse(proxyV2Signature + [0x21, 0x11, UInt8(largest >> 8), UInt8(largest & 0xFF)]) == .needMore)
        let tooLarge = largest + 1
        #expect(proxyParse(proxyV2Signature + [0x21, 0x11, UInt8(tooLarge >> 8), UInt8(tooLarge & 0xFF)]) == .invalid(.headerTooLarge))
    }

    @Test func theLargestHeaderIsAccepted() {
        let padding = ProxyProtocolParser.maxV2HeaderBytes - 16 - 12 - 3
        let header = proxyV2(ipv4Block + [0x04, UInt8(padding >> 8), UInt8(padding & 0xFF)] + [UInt8](repeating: 0, count: padding))
        #expect(header.count == ProxyProtocolParser.maxV2HeaderBytes)
        #expect(proxyFeedAllWays(header + request) == proxied(ipv4Endpoints, consumed: header.count))
    }

    @Test func aTruncatedHeaderNeedsMoreUntilItIsWhole() {
        // The length says 28 bytes; 27 is a header still arriving, not an error.
        #expect(proxyParse(Array(proxyV2(ipv4Block).dropLast())) == .needMore)
    }

    @Test func anAddressBlockShorterThanItsFamilyIsRefused() {
        #expect(proxyParse(proxyV2Signature + [0x21, 0x11, 0x00, 0x08]) == .invalid(.addressBlockTooShort))
        #expect(proxyParse(proxyV2Signature + [0x21, 0x21, 0x00, 0x0C]) == .invalid(.addressBlockTooShort))
    }

    @Test func tlvsMustEndWhereTheHeaderEnds() {
        let noop: [UInt8] = [0x04, 0x00, 0x00]
        let crc32c: [UInt8] = [0x03, 0x00, 0x04, 1, 2, 3, 4]
        #expect(proxyFeedAllWays(proxyV2(ipv4Block + noop + crc32c)) == proxied(ipv4Endpoints, consumed: 38))
        // A value longer than what is left, a TLV cut inside its type and length.
        #expect(proxyFeedAllWays(proxyV2(ipv4Block + [0x01, 0x00, 0x05, 1, 2])) == .invalid(.malformedTLV))
        #expect(proxyFeedAllWays(proxyV2(ipv4Block + crc32c + [0x04, 0x00])) == .invalid(.malformedTLV))
        #expect(proxyFeedAllWays(proxyV2(ipv4Block + [0x04])) == .invalid(.malformedTLV))
        #expect(proxyFeedAllWays(proxyV2(ipv4Block + [0x01, 0xFF, 0xFF])) == .invalid(.malformedTLV))
        // The bytes after the header are not the header's: a TLV cannot borrow them.
        #expect(proxyFeedAllWays(proxyV2(ipv4Block + [0x01, 0x00, 0x03]) + [1, 2, 3]) == .invalid(.malformedTLV))
    }

    @Test func aWrongByteAnywhereInTheSignatureIsAbsent() {
        let header = proxyV2(ipv4Block)
        for position in 0..<12 {
            var broken = header
            broken[position] = 0xFF
            #expect(proxyFeedAllWays(broken) == .absent, "byte \(position)")
        }
    }
}
