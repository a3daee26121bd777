import Glibc
import Testing
import WSGateCore
import WSGateTestSupport

/// `--trusted-proxy` with `--accept-proxy-protocol` and `--forwarded-header`: what a program
/// and the log see of the client behind a proxy, and that nobody else can claim an address.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct TrustedProxyTests {
    static var testcmd: String { Executables.path("wsgate-testcmd") }

    static let v2Signature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A]
    static let v1Header = "PROXY TCP4 203.0.113.7 127.0.0.1 5555 8080\r\n"

    /// A v2 header: PROXY (or LOCAL) over TCP with `addresses` (IPv4 or IPv6 block).
    static func v2(command: UInt8 = 0x21, family: UInt8, _ addresses: [UInt8]) -> [UInt8] {
        v2Signature + [command, family, UInt8(addresses.count >> 8), UInt8(addresses.count & 0xFF)] + addresses
    }

    static func gateway(_ flags: [String]) throws -> GatewayProcess {
        try GatewayProcess(flags + [testcmd, "env"])
    }

    /// Sends `preamble`, upgrades, and returns the program's environment.
    static func environment(_ gateway: GatewayProcess, preamble: [[UInt8]] = [],
                            headers: [(String, String)] = []) throws -> [String: String] {
        let client = try gateway.connect()
        for piece in preamble { try client.send(piece) }
        let response = try client.upgrade(headers: headers)
        guard response.status == 101 else { throw TestFailure("expected 101, got \(response.status)") }
        return try Transcript.read(from: client).environment()
    }

    // MARK: - PROXY protocol

    @Test func aV1HeaderNamesTheClient() throws {
        let gateway = try Self.gateway(["--trusted-proxy=127.0.0.1", "--accept-proxy-protocol", "--loglevel=debug"])
        let lines = try Self.environment(gateway, preamble: [Array(Self.v1Header.utf8)])
        #expect(lines["REMOTE_ADDR"] == "203.0.113.7")
        #expect(lines["REMOTE_PORT"] == "5555")
        #expect(lines["REMOTE_HOST"] == "203.0.113.7")
        let connect = try gateway.process.waitForOutputLine(containing: "CONNECT")
        #expect(connect.contains(" remote:'203.0.113.7' "), "\(connect)")
        let proxied = try gateway.process.waitForOutputLine(containing: "Client address from a PROXY v1 header")
        #expect(proxied.contains("remote:'203.0.113.7'") && proxied.contains("proxy:'127.0.0.1'"), "\(proxied)")
    }

    @Test func aV2HeaderNamesAnIPv4OrIPv6Client() throws {
        let gateway = try Self.gateway(["--trusted-proxy=127.0.0.1", "--accept-proxy-protocol"])
        let v4 = Self.v2(family: 0x11, [198, 51, 100, 20, 127, 0, 0, 1, 0x1F, 0x90, 0x1F, 0x90])
        let lines4 = try Self.environment(gateway, preamble: [v4])
        #expect(lines4["REMOTE_ADDR"] == "198.51.100.20")
        #expect(lines4["REMOTE_PORT"] == "8080")
        let source: [UInt8] = [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [0x07]
        let destination: [UInt8] = [UInt8](repeating: 0, count: 15) + [0x01]
        let v6 = Self.v2(family: 0x21, source + destination + [0xC8, 0x22, 0x01, 0xBB])
        let lines6 = try Self.environment(gateway, preamble: [v6])
        #expect(lines6["REMOTE_ADDR"] == "2001:db8::7")
        #expect(lines6["REMOTE_PORT"] == "51234")
    }

    @Test func aHeaderMayArriveInPieces() throws {
        let gateway = try Self.gateway(["--trusted-proxy=127.0.0.1", "--accept-proxy-protocol"])
        let header = Array(Self.v1Header.utf8)
        let lines = try Self.environment(gateway, preamble: [Array(header[..<3]), Array(header[3..<20]), Array(header[20...])])
        #expect(lines["REMOTE_ADDR"] == "203.0.113.7")
        let v2 = Self.v2(family: 0x11, [198, 51, 100, 20, 127, 0, 0, 1, 0x1F, 0x90, 0x1F, 0x90])
        let lines2 = try Self.environment(gateway, preamble: [Array(v2[..<5]), Array(v2[5..<14]), Array(v2[14...])])
        #expect(lines2["REMOTE_ADDR"] == "198.51.100.20")
    }

    /// HAProxy's health checks send LOCAL: the connection is the proxy's own.
    @Test func aLocalHeaderKeepsThePeer() throws {
        let gateway = try Self.gateway(["--trusted-proxy=127.0.0.1", "--accept-proxy-protocol"])
        let lines = try Self.environment(gateway, preamble: [Self.v2(command: 0x20, family: 0x00, [])])
        #expect(lines["REMOTE_ADDR"] == "127.0.0.1")
    }

    @Test func aTrustedPeerWithoutAHeaderIsRefused() throws {
        let gateway = try Self.gateway(["--trusted-proxy=127.0.0.1", "--accept-proxy-protocol"])
        let client = try gateway.connect()
        #expect(try client.upgrade().status == 400)
        let line = try gateway.process.waitForOutputLine(containing: "Refused a trusted proxy's connection")
        #expect(line.contains("no PROXY protocol header") && line.contains("remote:'127.0.0.1'"), "\(line)")
    }

    @Test func anInvalidHeaderIsRefused() throws {
        let gateway = try Self.gateway(["--trusted-proxy=127.0.0.1", "--accept-proxy-protocol"])
        let client = try gateway.connect()
        try client.send("PROXY TCP4 203.0.113.999 127.0.0.1 5555 8080\r\nGET / HTTP/1.1\r\n\r\n")
        #expect(try client.waitForEOF())
        let line = try gateway.process.waitForOutputLine(containing: "Refused a trusted proxy's connection")
        #expect(line.contains("invalid PROXY protocol header"), "\(line)")
    }

    @Test(arguments: [true, false])
    func anUntrustedPeerCannotSendAHeader(v2: Bool) throws {
        let gateway = try Self.gateway(["--trusted-proxy=10.0.0.0/8", "--accept-proxy-protocol"])
        let client = try gateway.connect()
        try client.send(v2 ? Self.v2(family: 0x11, [198, 51, 100, 20, 127, 0, 0, 1, 0x1F, 0x90, 0x1F, 0x90])
                           : Array(Self.v1Header.utf8))
        #expect(try client.upgrade().status == 400)
        let line = try gateway.process.waitForOutputLine(containing: "PROXY protocol header from")
        #expect(line.contains("PROXY protocol header from an untrusted peer 127.0.0.1"), "\(line)")
    }

    @Test func withoutTheFlagAHeaderIsABadRequest() throws {
        let gateway = try Self.gateway([])
        let client = try gateway.connect()
        try client.send(Self.v1Header)
        #expect(try client.upgrade().status == 400)
        _ = try gateway.process.waitForOutputLine(containing: "PROXY protocol header from an untrusted peer 127.0.0.1")
    }

    /// Behind HAProxy, a socket backend's PROXY line (`--proxy-protocol`) names the client,
    /// not the proxy.
    @Test func aSocketBackendIsToldTheProxiedClient() throws {
        let backend = try TCPTestBackend(.recordProxyHeader)
        let gateway = try GatewayProcess(["--trusted-proxy=127.0.0.1", "--accept-proxy-protocol", "--proxy-protocol",
                                          backend.gatewayArgument])
        let client = try gateway.connect()
        try client.send(Self.v1Header)
        #expect(try client.upgrade().status == 101)
        let header = try backend.waitForProxyHeader()
        #expect(header.hasPrefix("PROXY TCP4 203.0.113.7 127.0.0.1 5555 "), "\(header)")
    }

    // MARK: - Forwarding headers

    @Test func forwardingHeadersFromAnUntrustedPeerAreIgnored() throws {
        let gateway = try Self.gateway(["--trusted-proxy=10.0.0.0/8"])
        let lines = try Self.environment(gateway, headers: [("X-Forwarded-For", "1.2.3.4")])
        #expect(lines["REMOTE_ADDR"] == "127.0.0.1")
    }

    @Test func xForwardedForFromATrustedPeerNamesTheClient() throws {
        let gateway = try Self.gateway(["--trusted-proxy=127.0.0.1", "--loglevel=debug"])
        let lines = try Self.environment(gateway, headers: [("X-Forwarded-For", "198.51.100.9, 127.0.0.1")])
        #expect(lines["REMOTE_ADDR"] == "198.51.100.9")
        #expect(lines["REMOTE_PORT"] == "")
        let connect = try gateway.process.waitForOutputLine(containing: "CONNECT")
        #expect(connect.contains(" remote:'198.51.100.9' "), "\(connect)")
        let proxied = try gateway.process.waitForOutputLine(containing: "Client address from X-Forwarded-For")
        #expect(proxied.contains("proxy:'127.0.0.1'"), "\(proxied)")
    }

    @Test func forwardedIsReadWhenChosenAndXForwardedForIsNot() throws {
        let gateway = try Self.gateway(["--trusted-proxy=127.0.0.1", "--forwarded-header=forwarded"])
        let lines = try Self.environment(gateway, headers: [("X-Forwarded-For", "1.2.3.4"),
                                                            ("Forwarded", #"for="[2001:db8::1]:4711""#)])
        #expect(lines["REMOTE_ADDR"] == "2001:db8::1")
        #expect(lines["REMOTE_PORT"] == "4711")
        let xff = try Self.environment(gateway, headers: [("X-Forwarded-For", "1.2.3.4")])
        #expect(xff["REMOTE_ADDR"] == "127.0.0.1")
    }

    /// nginx keeps connections to its upstream alive: each request names its own client.
    @Test func eachKeptAliveRequestIsResolvedOnItsOwn() throws {
        let root = TemporaryFiles.path("proxy-cgi")
        mkdir(root, 0o755)
        let script = root + "/addr.cgi"
        try TemporaryFiles.write("#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n%s %s' \"$REMOTE_ADDR\" \"$REMOTE_PORT\"\n",
                                 to: script)
        chmod(script, 0o755)
        defer {
            unlink(script)
            rmdir(root)
        }
        let gateway = try GatewayProcess(["--cgidir=\(root)", "--trusted-proxy=127.0.0.1"])
        let client = try gateway.connect()
        for forwarded in ["198.51.100.1", "198.51.100.2", nil] {
            var request = "GET /addr.cgi HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            if let forwarded { request += "X-Forwarded-For: \(forwarded)\r\n" }
            try client.send(request + "\r\n")
            let response = try client.readHTTPResponse()
            #expect(response.status == 200)
            if let forwarded {
                #expect(response.body == "\(forwarded) ", "\(response.body)")
            } else {
                #expect(response.body.hasPrefix("127.0.0.1 ") && response.body.count > 10, "\(response.body)")
            }
        }
    }

    @Test func noForwardingHeaderIsReadWithNone() throws {
        let gateway = try Self.gateway(["--trusted-proxy=127.0.0.1", "--forwarded-header=none"])
        let lines = try Self.environment(gateway, headers: [("X-Forwarded-For", "1.2.3.4"), ("Forwarded", "for=1.2.3.4")])
        #expect(lines["REMOTE_ADDR"] == "127.0.0.1")
    }

    /// The walk starts from the PROXY header's source: a trusted inner proxy's header counts.
    @Test func theForwardingHeaderIsWalkedFromThePROXYSource() throws {
        let gateway = try Self.gateway(["--trusted-proxy=127.0.0.1,10.0.0.0/8", "--accept-proxy-protocol"])
        let inner = Array("PROXY TCP4 10.9.9.9 127.0.0.1 4000 8080\r\n".utf8)
        let lines = try Self.environment(gateway, preamble: [inner], headers: [("X-Forwarded-For", "203.0.113.50")])
        #expect(lines["REMOTE_ADDR"] == "203.0.113.50")
        let outer = Array(Self.v1Header.utf8)
        let untrusted = try Self.environment(gateway, preamble: [outer], headers: [("X-Forwarded-For", "1.2.3.4")])
        #expect(untrusted["REMOTE_ADDR"] == "203.0.113.7")
    }
}

/// `--accept-proxy-protocol` with `--ssl`: HAProxy in TCP mode passes TLS through behind the
/// PROXY header, so the header is plaintext and the handshake follows it.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct TrustedProxyTLSTests {
    static let tlsFlags = ["--ssl", "--sslcert=" + TLSFixtures.serverCertificate, "--sslkey=" + TLSFixtures.serverKey]

    /// Sends what `tls` has to say and feeds it the answers until `done`.
    static func exchange(_ client: TestClient, _ tls: MemoryTLSClient, until done: () -> Bool) throws {
        for _ in 0..<100 {
            tls.handshake()
            let out = tls.takeCiphertext().readableBytesArray
            if !out.isEmpty { try client.send(out) }
            if done() { return }
            if let failure = tls.failure { throw TestFailure("TLS failed: \(failure)") }
            let bytes = try client.readAvailable()
            if bytes.isEmpty { throw TestFailure("connection closed") }
            tls.receive(ByteBuffer(bytes: bytes))
        }
        throw TestFailure("no progress")
    }

    @Test func aV2HeaderThenTLSNamesTheClient() throws {
        let gateway = try GatewayProcess(Self.tlsFlags + ["--trusted-proxy=127.0.0.1", "--accept-proxy-protocol",
                                                          "--loglevel=debug", TrustedProxyTests.testcmd, "env"])
        let client = try gateway.connect()
        try client.send(TrustedProxyTests.v2(family: 0x11, [203, 0, 113, 7, 127, 0, 0, 1, 0x15, 0xB3, 0x1F, 0x90]))
        let tls = try MemoryTLSClient()
        try Self.exchange(client, tls) { tls.isHandshakeComplete }
        var request = "GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        request += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        tls.send(Array(request.utf8))
        var plaintext: [UInt8] = []
        try Self.exchange(client, tls) {
            plaintext += tls.readAvailable().bytes
            return String(decoding: plaintext, as: UTF8.self).contains("\r\n\r\n")
        }
        #expect(String(decoding: plaintext, as: UTF8.self).hasPrefix("HTTP/1.1 101 "))
        _ = try gateway.process.waitForOutputLine(containing: "REMOTE_ADDR=203.0.113.7")
        _ = try gateway.process.waitForOutputLine(containing: "REMOTE_PORT=5555")
        let connect = try gateway.process.waitForOutputLine(containing: "CONNECT")
        #expect(connect.contains(" remote:'203.0.113.7' "), "\(connect)")
    }

    /// A trusted peer that starts the handshake without the header is closed, not answered in
    /// plaintext.
    @Test func aTrustedPeerStartingTLSWithoutAHeaderIsClosed() throws {
        let gateway = try GatewayProcess(Self.tlsFlags + ["--trusted-proxy=127.0.0.1", "--accept-proxy-protocol", "--echo"])
        let client = try gateway.connect()
        let tls = try MemoryTLSClient()
        tls.handshake()
        try client.send(tls.takeCiphertext().readableBytesArray)
        #expect(try client.waitForEOF())
        let line = try gateway.process.waitForOutputLine(containing: "Refused a trusted proxy's connection")
        #expect(line.contains("no PROXY protocol header"), "\(line)")
    }
}
