import Testing
import WSGateCore
import WSGateHTTP

/// Telling a PROXY header from other first bytes, and the version 1 line (section 2.1 of
/// HAProxy's proxy-protocol.txt).
@Suite struct ProxyProtocolParserTests {
    /// The endpoints of a TCP4 header.
    func tcp4(_ source: [UInt8], _ sourcePort: UInt16, _ destination: [UInt8], _ destinationPort: UInt16) -> ProxyHeader.Endpoints {
        ProxyHeader.Endpoints(source: .ipv4(source, port: sourcePort), destination: .ipv4(destination, port: destinationPort))
    }

    // MARK: - which protocol

    @Test func plainHTTPIsAbsentAfterItsFirstByte() {
        #expect(proxyParse(bytes("G")) == .absent)
        #expect(proxyFeedAllWays(bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n")) == .absent)
        // A TLS ClientHello: the handshake record type 0x16.
        #expect(proxyParse([0x16, 0x03, 0x01]) == .absent)
    }

    @Test func prefixesOfEitherSignatureNeedMore() {
        #expect(proxyParse([]) == .needMore)
        #expect(proxyParse(bytes("PROXY")) == .needMore)
        #expect(proxyParse(bytes("\r\n\r\n")) == .needMore)
        #expect(proxyParse(Array(proxyV2Signature.prefix(11))) == .needMore)
    }

    @Test func bytesThatLeaveBothSignaturesAreAbsent() {
        // An HTTP client may send empty lines first (RFC 9112 §2.2): CRLF CRLF starts the v2
        // signature; what follows tells them apart.
        #expect(proxyParse(bytes("\r\n\r\nGET / HTTP/1.1\r\n")) == .absent)
        // "PROXY" is a valid HTTP method token; without its space it is no v1 header.
        #expect(proxyParse(bytes("PROXYFIND / HTTP/1.1\r\n")) == .absent)
    }

    @Test func aWrongByteAnywhereInTheV1SignatureIsAbsent() {
        let line = bytes("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n")
        for position in 0..<6 {
            var broken = line
            broken[position] = 0xFF
            #expect(proxyFeedAllWays(broken) == .absent, "byte \(position)")
        }
    }

    // MARK: - the specification's examples

    @Test func theSpecificationsExampleBeforeAnHTTPRequest() {
        let line = "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n"
        let input = bytes(line + "GET / HTTP/1.1\r\nHost: 192.168.0.11\r\n\r\n")
        let result = proxyFeedAllWays(input)
        #expect(result == .header(ProxyHeader(version: .v1, endpoints: tcp4([192, 168, 0, 1], 56324, [192, 168, 0, 11], 443)),
                                  consumed: line.utf8.count))
        expectEveryPrefixNeedsMore(bytes(line))
    }

    @Test func theLongestLinesTheReceiverMustSupport() {
        let all = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
        let ones = [UInt8](repeating: 0xFF, count: 16)
        let cases: [(line: String, length: Int, endpoints: ProxyHeader.Endpoints?)] = [
            ("PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n", 56,
             tcp4([255, 255, 255, 255], 65535, [255, 255, 255, 255], 65535)),
            ("PROXY TCP6 \(all) \(all) 65535 65535\r\n", 104,
             ProxyHeader.Endpoints(source: .ipv6(ones, port: 65535), destination: .ipv6(ones, port: 65535))),
            ("PROXY UNKNOWN\r\n", 15, nil),
            ("PROXY UNKNOWN \(all) \(all) 65535 65535\r\n", 107, nil),
        ]
        for (line, length, endpoints) in cases {
            #expect(line.utf8.count == length)
            #expect(proxyFeedAllWays(bytes(line)) == .header(ProxyHeader(version: .v1, endpoints: endpoints), consumed: length))
            expectEveryPrefixNeedsMore(bytes(line))
        }
    }

    // MARK: - what HAProxy 2.6 sends with send-proxy

    @Test func haproxySendProxyLines() {
        let tcp4Line = "PROXY TCP4 203.0.113.7 192.0.2.10 51234 80\r\n"
        #expect(proxyFeedAllWays(bytes(tcp4Line + "GET /chat HTTP/1.1\r\n")).header
                == ProxyHeader(version: .v1, endpoints: tcp4([203, 0, 113, 7], 51234, [192, 0, 2, 10], 80)))
        // One side IPv4, the other IPv6: HAProxy maps the IPv4 one (v4tov6) and writes
        // inet_ntop's text, dotted tail included.
        let mixed = "PROXY TCP6 ::ffff:203.0.113.7 2001:db8::10 51234 443\r\n"
        let mapped: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 203, 0, 113, 7]
        let server: [UInt8] = [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [0x10]
        #expect(proxyFeedAllWays(bytes(mixed)) == .header(
            ProxyHeader(version: .v1, endpoints: ProxyHeader.Endpoints(source: .ipv6(mapped, port: 51234),
                                                                       destination: .ipv6(server, port: 443))),
            consumed: mixed.utf8.count))
        // No addresses to tell (HAProxy's own checks, a UNIX client).
        #expect(proxyFeedAllWays(bytes("PROXY UNKNOWN\r\nGET / HTTP/1.1\r\n")) == .header(ProxyHeader(version: .v1, endpoints: nil), consumed: 15))
    }

    @Test func unknownIgnoresTheRestOfItsLine() {
        let line = bytes("PROXY UNKNOWN whatever \u{1} follows\r\n")
        #expect(proxyFeedAllWays(line) == .header(ProxyHeader(version: .v1, endpoints: nil), consumed: line.count))
    }

    // MARK: - IPv6 text

    @Test(arguments: [
        ("::", [UInt8](repeating: 0, count: 16)),
        ("::1", [UInt8](repeating: 0, count: 15) + [1]),
        ("1::", [0, 1] + [UInt8](repeating: 0, count: 14)),
        ("2001:DB8::a:B", [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 8) + [0, 0x0A, 0, 0x0B]),
        ("1:2:3:4:5:6:7:8", [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]),
        ("1:2:3:4:5:6:1.2.3.4", [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 1, 2, 3, 4]),
        ("1:2:3:4:5:6:7::", [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0]),
    ])
    func ipv6Text(text: String, address: [UInt8]) {
        let result = proxyParse(bytes("PROXY TCP6 \(text) ::1 1 2\r\n"))
        #expect(result.header?.endpoints?.source == .ipv6(address, port: 1))
    }

    // MARK: - refused lines

    @Test(arguments: [
        // "exactly one space" between fields, none at the end.
        ("PROXY TCP4  192.168.0.1 192.168.0.11 56324 443\r\n", ProxyProtocolError.malformedLine),
        ("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443 \r\n", .malformedLine),
        ("PROXY TCP4 192.168.0.1 192.168.0.11 56324\r\n", .malformedLine),
        ("PROXY TCP4\r\n", .malformedLine),
        // "The receiver must not tolerate a single CR or LF character to end the line".
        ("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\n", .malformedLine),
        ("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\rX", .malformedLine),
        ("PROXY UNKNOWN\n", .malformedLine),
        ("PROXY TCP4 192.168.0.1\t192.168.0.11 56324 443\r\n", .malformedLine),
        ("PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n", .malformedLine),
        // Only TCP4, TCP6 and UNKNOWN, in capitals.
        ("PROXY tcp4 192.168.0.1 192.168.0.11 56324 443\r\n", .unknownFamily),
        ("PROXY TCP5 192.168.0.1 192.168.0.11 56324 443\r\n", .unknownFamily),
        ("PROXY UDP4 192.168.0.1 192.168.0.11 56324 443\r\n", .unknownFamily),
        ("PROXY UNKNOWNS\r\n", .unknownFamily),
        ("PROXY GET / HTTP/1.1\r\n", .unknownFamily),
        // "Heading zeroes are not permitted", 4 integers in [0..255], the announced family.
        ("PROXY TCP4 192.168.0.01 192.168.0.11 56324 443\r\n", .invalidAddress),
        ("PROXY TCP4 192.168.0.256 192.168.0.11 56324 443\r\n", .invalidAddress),
        ("PROXY TCP4 192.168.0 192.168.0.11 56324 443\r\n", .invalidAddress),
        ("PROXY TCP4 192.168..1 192.168.0.11 56324 443\r\n", .invalidAddress),
        ("PROXY TCP4 ::1 ::1 1 2\r\n", .invalidAddress),
        ("PROXY TCP6 192.168.0.1 192.168.0.11 1 2\r\n", .invalidAddress),
        // One "::" at most, 128 bits exactly, sets of at most 4 digits.
        ("PROXY TCP6 1::2::3 ::1 1 2\r\n", .invalidAddress),
        ("PROXY TCP6 :::1 ::1 1 2\r\n", .invalidAddress),
        ("PROXY TCP6 1:2:3:4:5:6:7:8:9 ::1 1 2\r\n", .invalidAddress),
        ("PROXY TCP6 1:2:3:4:5:6:7 ::1 1 2\r\n", .invalidAddress),
        ("PROXY TCP6 1:2:3:4:5:6:7:8:: ::1 1 2\r\n", .invalidAddress),
        ("PROXY TCP6 12345::1 ::1 1 2\r\n", .invalidAddress),
        ("PROXY TCP6 :1::1 ::1 1 2\r\n", .invalidAddress),
        ("PROXY TCP6 1.2.3.4::1 ::1 1 2\r\n", .invalidAddress),
        ("PROXY TCP6 ::1.2.3.04 ::1 1 2\r\n", .invalidAddress),
        // Ports: decimal in [0..65535], "Heading zeroes are not permitted".
        ("PROXY TCP4 192.168.0.1 192.168.0.11 056324 443\r\n", .invalidPort),
        ("PROXY TCP4 192.168.0.1 192.168.0.11 080 443\r\n", .invalidPort),
        ("PROXY TCP4 192.168.0.1 192.168.0.11 65536 443\r\n", .invalidPort),
        ("PROXY TCP4 192.168.0.1 192.168.0.11 1 ab\r\n", .invalidPort),
    ])
    func refusedLine(line: String, error: ProxyProtocolError) {
        #expect(proxyFeedAllWays(bytes(line)) == .invalid(error))
    }

    @Test func portZeroIsADecimalWithoutLeadingZero() {
        let result = proxyParse(bytes("PROXY TCP4 0.0.0.0 10.0.0.1 0 65535\r\n"))
        #expect(result.header?.endpoints == tcp4([0, 0, 0, 0], 0, [10, 0, 0, 1], 65535))
    }

    // MARK: - limits

    @Test func aLineWithoutCRLFIsRefusedAt107Bytes() {
        for start in ["PROXY UNKNOWN ", "PROXY TCP4 1"] {
            let input = bytes(start + String(repeating: "1", count: 200))
            #expect(proxyParse(Array(input.prefix(106))) == .needMore)
            #expect(proxyParse(Array(input.prefix(107))) == .invalid(.lineTooLong))
            #expect(proxyFeedAllWays(input) == .invalid(.lineTooLong))
        }
    }

    @Test func aCRLFEndingAfterByte107IsTooLong() {
        // 105 bytes, then CR LF: a 107-byte line is accepted, a 108-byte one is not.
        let fits = bytes("PROXY UNKNOWN " + String(repeating: "x", count: 91) + "\r\n")
        #expect(fits.count == 107)
        #expect(proxyFeedAllWays(fits) == .header(ProxyHeader(version: .v1, endpoints: nil), consumed: 107))
        let tooLong = bytes("PROXY UNKNOWN " + String(repeating: "x", count: 92) + "\r\n")
        #expect(proxyFeedAllWays(tooLong) == .invalid(.lineTooLong))
    }

    @Test func aByteBufferIsReadFromItsReaderIndex() {
        var buffer = ByteBuffer(bytes: bytes("xxPROXY UNKNOWN\r\n"))
        buffer.moveReaderIndex(forwardBy: 2)
        #expect(ProxyProtocolParser.parse(buffer) == .header(ProxyHeader(version: .v1, endpoints: nil), consumed: 15))
        #expect(buffer.readableBytes == 15, "the parser consumes nothing")
    }

    @Test func everyErrorHasAReason() {
        for error in ProxyProtocolError.allCases {
            #expect(!error.description.isEmpty)
        }
        #expect(Set(ProxyProtocolError.allCases.map(\.description)).count == ProxyProtocolError.allCases.count)
    }
}
