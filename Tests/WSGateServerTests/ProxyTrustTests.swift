import Testing
import WSGateConfig
import WSGateCore
import WSGateHTTP
@testable import WSGateServer

/// The decisions behind `--trusted-proxy`: who must send a PROXY header, what first bytes
/// amount to, and which address a request is from.
@Suite(.timeLimit(.minutes(10))) struct ProxyTrustTests {
    static func trust(_ networks: String, proxyProtocol: Bool = true,
                      header: ForwardedHeaderChoice = .xForwardedFor) throws -> ProxyTrust {
        ProxyTrust(trusted: try TrustedProxies(parsing: networks), acceptsProxyProtocol: proxyProtocol,
                   forwardedHeader: header)
    }

    static let v2Signature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A]

    @Test func onlyTrustedPeersMustSendAHeaderAndOnlyWithTheFlag() throws {
        let local = try #require(IPAddress("127.0.0.1"))
        let mapped = try #require(IPAddress("::ffff:127.0.0.1"))
        #expect(try Self.trust("127.0.0.1").expectsProxyHeader(from: local))
        #expect(try Self.trust("127.0.0.1").expectsProxyHeader(from: mapped))
        #expect(try !Self.trust("10.0.0.0/8").expectsProxyHeader(from: local))
        #expect(try !Self.trust("127.0.0.1", proxyProtocol: false).expectsProxyHeader(from: local))
        #expect(try !Self.trust("127.0.0.1").expectsProxyHeader(from: nil))
    }

    @Test func noTrustedProxyMeansNoTrust() {
        #expect(ProxyTrust(config: GatewayConfig()) == nil)
    }

    @Test func aV1HeaderNamesTheClientAndItsLengthIsConsumed() throws {
        let line = "PROXY TCP4 203.0.113.7 127.0.0.1 5555 8080\r\n"
        let step = ProxyTrust.headerStep(ByteBuffer(string: line + "GET / HTTP/1.1\r\n"))
        let client = ClientAddress(address: try #require(IPAddress("203.0.113.7")), port: 5555)
        #expect(step == .header(client: client, version: .v1, consumed: line.utf8.count))
    }

    @Test func everyPrefixOfAHeaderNeedsMore() {
        let line = Array("PROXY TCP4 203.0.113.7 127.0.0.1 5555 8080\r\n".utf8)
        for length in 1..<line.count {
            #expect(ProxyTrust.headerStep(ByteBuffer(bytes: line.prefix(length))) == .needMore)
        }
    }

    @Test func aLocalV2HeaderKeepsThePeer() {
        let local = Self.v2Signature + [0x20, 0x00, 0x00, 0x00]
        #expect(ProxyTrust.headerStep(ByteBuffer(bytes: local)) == .header(client: nil, version: .v2, consumed: 16))
    }

    @Test func missingOrBrokenHeadersAreRefused() {
        #expect(ProxyTrust.headerStep(ByteBuffer(string: "GET / HTTP/1.1\r\n"))
            == .refuse(reason: "no PROXY protocol header", looksLikeHTTP: true))
        #expect(ProxyTrust.headerStep(ByteBuffer(bytes: [0x16, 0x03, 0x01]))
            == .refuse(reason: "no PROXY protocol header", looksLikeHTTP: false))
        guard case .refuse(let reason, false) = ProxyTrust.headerStep(ByteBuffer(string: "PROXY TCP9 x y 1 2\r\n")) else {
            Issue.record("an invalid v1 line was not refused")
            return
        }
        #expect(reason.hasPrefix("invalid PROXY protocol header"))
    }

    @Test func signaturesAreRecognisedWhereNoHeaderIsRead() {
        #expect(ProxyTrust.startsWithProxySignature(ByteBuffer(string: "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n")))
        #expect(ProxyTrust.startsWithProxySignature(ByteBuffer(bytes: Self.v2Signature)))
        #expect(!ProxyTrust.startsWithProxySignature(ByteBuffer(string: "GET / HTTP/1.1\r\n")))
        #expect(!ProxyTrust.startsWithProxySignature(ByteBuffer(string: "PROX")))
    }

    @Test func theForwardingHeaderIsReadFromTrustedConnectionsOnly() throws {
        let peer = ClientAddress(address: try #require(IPAddress("127.0.0.1")), port: 40000)
        let headers: HTTPHeaders = ["X-Forwarded-For": "198.51.100.9, 127.0.0.1", "Forwarded": "for=192.0.2.1"]
        let trusted = try Self.trust("127.0.0.1", proxyProtocol: false)
        #expect(trusted.client(of: headers, connection: peer).address == IPAddress("198.51.100.9"))
        #expect(trusted.client(of: headers, connection: peer).port == nil)
        let forwarded = try Self.trust("127.0.0.1", proxyProtocol: false, header: .forwarded)
        #expect(forwarded.client(of: headers, connection: peer).address == IPAddress("192.0.2.1"))
        #expect(try Self.trust("127.0.0.1", header: .none).client(of: headers, connection: peer) == peer)
        #expect(try Self.trust("10.0.0.0/8").client(of: headers, connection: peer) == peer)
    }
}
