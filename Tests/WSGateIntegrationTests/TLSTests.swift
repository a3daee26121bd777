import Glibc
import Testing
import WSGateTestSupport

/// Debian's python3-websockets, as the python3 that imports it sees it.
private let pythonWebsockets = "/usr/lib/python3/dist-packages/websockets/__init__.py"
private let openssl = "/usr/bin/openssl"

extension Trait where Self == ConditionTrait {
    /// Where python3-websockets and the openssl command are installed, and always under
    /// `CI=true` (where a missing one fails).
    static var tlsClientsInstalled: Self {
        .enabled(if: ReferencePeer.suitesRun(executable: openssl) && (access(pythonWebsockets, F_OK) == 0 || ReferencePeer.isCI),
                 "python3-websockets or openssl is not installed (with CI=true this suite fails instead)")
    }
}

/// `--ssl` at start: the start line, and a certificate or key that cannot be used.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct TLSStartTests {
    @Test func theStartLineSaysWSS() throws {
        let gateway = try GatewayProcess(TLSTests.tlsFlags + ["--echo"])
        let line = try gateway.process.waitForOutputLine(containing: "Starting WebSocket server")
        #expect(line.contains("wss://127.0.0.1:\(gateway.port)/"))
    }

    @Test(arguments: [
        (TLSFixtures.directory + "/missing.pem", TLSFixtures.serverKey, TLSFixtures.directory + "/missing.pem"),
        (TLSFixtures.serverCertificate, TLSFixtures.directory + "/missing.key", TLSFixtures.directory + "/missing.key"),
        (TLSFixtures.serverCertificate, TLSFixtures.otherKey, TLSFixtures.otherKey),
    ])
    func aBadCertificateOrKeyStopsTheStartWithOneLineNamingTheFile(certificate: String, key: String, named: String) throws {
        let process = try ChildProcess(path: Executables.path("wsgate"),
                                       arguments: ["--port=0", "--address=127.0.0.1", "--ssl", "--sslcert=" + certificate,
                                                   "--sslkey=" + key, "--echo"])
        #expect(try process.waitForExit(timeout: 30) == 1)
        let lines = process.standardOutput.split(separator: "\n")
        #expect(lines.count == 1, "\(process.standardOutput)")
        #expect(lines.first?.contains(named) == true, "\(process.standardOutput)")
        #expect(!process.standardOutput.contains("Starting WebSocket server"))
    }
}

/// `--ssl` through the real binary with real clients: Python's `websockets` and `urllib` (which
/// verify the certificate against the test CA and the host name), `openssl s_client`, and raw
/// sockets that send what is not TLS.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread, .tlsClientsInstalled) struct TLSTests {
    static var tlsFlags: [String] {
        ["--ssl", "--sslcert=" + TLSFixtures.serverCertificate, "--sslkey=" + TLSFixtures.serverKey]
    }

    /// Connects to wss://localhost:PORT/, sends each argument as a message and prints one reply
    /// per message; with no argument, prints every message until the server closes.
    static let websocketsClient = """
        import asyncio, ssl, sys, websockets
        port, ca, messages = sys.argv[1], sys.argv[2], sys.argv[3:]
        context = ssl.create_default_context(cafile=ca)
        async def main():
            async with websockets.connect(f"wss://localhost:{port}/", ssl=context) as ws:
                if messages:
                    for message in messages:
                        await ws.send(message)
                        print("reply:", await ws.recv(), flush=True)
                else:
                    async for message in ws:
                        print("message:", message, flush=True)
        asyncio.run(main())
        """

    static func python(_ script: String, _ arguments: [String]) throws -> ChildProcess {
        try ChildProcess(path: "/usr/bin/python3", arguments: ["-c", script] + arguments)
    }

    @Test func aPythonWebsocketsClientTalksToAProgramOverWSS() throws {
        let gateway = try GatewayProcess(Self.tlsFlags + [Executables.path("wsgate-testcmd"), "echo"])
        let client = try Self.python(Self.websocketsClient,
                                     [String(gateway.port), TLSFixtures.caCertificate, "hello", "over wss"])
        #expect(try client.waitForExit(timeout: 60) == 0, "\(client.standardError)")
        #expect(client.standardOutput == "reply: hello\nreply: over wss\n")
        try gateway.process.waitForOutputLine(containing: "DISCONNECT")
    }

    /// `--loglevel=debug` names the TLS version of a WebSocket connection; `access` does not.
    @Test(arguments: ["debug", "access"]) func theTLSSessionIsLoggedAtDebugLevel(_ level: String) throws {
        let gateway = try GatewayProcess(Self.tlsFlags + ["--loglevel=\(level)", Executables.path("wsgate-testcmd"), "echo"])
        let client = try Self.python(Self.websocketsClient, [String(gateway.port), TLSFixtures.caCertificate, "hello"])
        #expect(try client.waitForExit(timeout: 60) == 0, "\(client.standardError)")
        try gateway.process.waitForOutputLine(containing: "DISCONNECT")
        let logged = gateway.process.standardOutput.contains("| DEBUG  | session    | ")
            && gateway.process.standardOutput.contains("| TLS session: TLSv1.")
        #expect(logged == (level == "debug"), "\(gateway.process.standardOutput)")
    }

    @Test func programsSeeHTTPSOn() throws {
        let gateway = try GatewayProcess(Self.tlsFlags + [Executables.path("wsgate-testcmd"), "env"])
        let client = try Self.python(Self.websocketsClient, [String(gateway.port), TLSFixtures.caCertificate])
        #expect(try client.waitForExit(timeout: 60) == 0, "\(client.standardError)")
        #expect(client.standardOutput.contains("message: HTTPS=on\n"), "\(client.standardOutput)")
        #expect(client.standardOutput.contains("message: SERVER_PORT=\(gateway.port)\n"))
    }

    /// A file body goes through the encrypting path (no sendfile under TLS): every byte, in
    /// order, through Python's https client.
    @Test func aStaticFileIsServedOverHTTPS() throws {
        let site = try TemporaryFiles.directory("tls-site")
        defer { TemporaryFiles.removeDirectory(site) }
        let content = String((0..<300_000).map { Character(UnicodeScalar(UInt8(97 + $0 % 26))) })
        try TemporaryFiles.write(content, to: site + "/big.txt")
        let gateway = try GatewayProcess(Self.tlsFlags + ["--staticdir=" + site])
        let script = """
            import ssl, sys, urllib.request
            context = ssl.create_default_context(cafile=sys.argv[2])
            body = urllib.request.urlopen(f"https://localhost:{sys.argv[1]}/big.txt", context=context).read()
            expected = bytes(97 + i % 26 for i in range(300000))
            print(len(body), "same" if body == expected else "different")
            """
        let client = try Self.python(script, [String(gateway.port), TLSFixtures.caCertificate])
        #expect(try client.waitForExit(timeout: 60) == 0, "\(client.standardError)")
        #expect(client.standardOutput == "300000 same\n")
    }

    /// The other plain-HTTP services over https: the dev console's page names a wss:// URL,
    /// and a Prometheus scrape works (each on its own gateway: the console answers every path).
    @Test(arguments: [("--devconsole", "/", "wss://localhost:"), ("--metrics=/metrics", "/metrics", "wsgate_connections")])
    func theDevConsoleAndMetricsAreServedOverHTTPS(flag: String, path: String, expected: String) throws {
        let gateway = try GatewayProcess(Self.tlsFlags + [flag, "--echo"])
        let script = """
            import ssl, sys, urllib.request
            context = ssl.create_default_context(cafile=sys.argv[2])
            print(urllib.request.urlopen(f"https://localhost:{sys.argv[1]}{sys.argv[3]}", context=context).read().decode())
            """
        let client = try Self.python(script, [String(gateway.port), TLSFixtures.caCertificate, path])
        #expect(try client.waitForExit(timeout: 60) == 0, "\(client.standardError)")
        #expect(client.standardOutput.contains(expected), "\(client.standardOutput.prefix(300))")
    }

    @Test func opensslSClientGetsTLS13AndALPNHTTP11() throws {
        let gateway = try GatewayProcess(Self.tlsFlags + ["--echo"])
        let client = try ChildProcess(
            path: openssl,
            arguments: ["s_client", "-connect", "127.0.0.1:\(gateway.port)", "-servername", "localhost",
                        "-alpn", "h2,http/1.1", "-CAfile", TLSFixtures.caCertificate, "-verify_return_error"],
            standardInput: "/dev/null")
        #expect(try client.waitForExit(timeout: 60) == 0, "\(client.standardError)")
        let output = client.standardOutput
        #expect(output.contains("New, TLSv1.3, Cipher is TLS_"), "\(output)")
        #expect(output.contains("ALPN protocol: http/1.1"), "\(output)")
        #expect(output.contains("Verify return code: 0 (ok)"), "\(output)")
    }

    /// SNI is acknowledged (the empty server_name extension, RFC 6066 §3) under both versions,
    /// and the key exchange is X25519, the first group of the list.
    @Test(arguments: ["-tls1_2", "-tls1_3"])
    func theServerNameIsAcknowledgedAndTheKeyExchangeIsX25519(version: String) throws {
        let gateway = try GatewayProcess(Self.tlsFlags + ["--echo"])
        let client = try ChildProcess(
            path: openssl,
            arguments: ["s_client", "-connect", "127.0.0.1:\(gateway.port)", "-servername", "localhost", "-tlsextdebug",
                        version, "-CAfile", TLSFixtures.caCertificate, "-verify_return_error"],
            standardInput: "/dev/null")
        #expect(try client.waitForExit(timeout: 60) == 0, "\(client.standardError)")
        let output = client.standardOutput
        #expect(output.contains("TLS server extension \"server name\" (id=0), len=0"), "\(output)")
        #expect(output.contains("Server Temp Key: X25519"), "\(output)")
    }

    @Test func aClientOfferingOnlyP521IsRefusedWithALogLine() throws {
        let gateway = try GatewayProcess(Self.tlsFlags + ["--echo"])
        let client = try ChildProcess(
            path: openssl, arguments: ["s_client", "-connect", "127.0.0.1:\(gateway.port)", "-groups", "secp521r1"],
            standardInput: "/dev/null")
        #expect(try client.waitForExit(timeout: 60) != 0)
        let line = try gateway.process.waitForOutputLine(containing: "Dropped before a request")
        #expect(line.contains("TLS: no suitable key share"), "\(line)")
    }

    /// A client that stops mid-handshake is dropped at the head deadline, and the line says
    /// the handshake (not the request head) was not complete.
    @Test func aClientStalledMidHandshakeIsDroppedWithALineSayingSo() throws {
        let gateway = try GatewayProcess(Self.tlsFlags + ["--echo"])
        let stalled = try gateway.connect()
        // A TLS record header announcing a 512-byte handshake message that never comes.
        try stalled.send([0x16, 0x03, 0x01, 0x02, 0x00, 0x01])
        let line = try gateway.process.waitForOutputLine(containing: "not complete within", timeout: 30)
        #expect(line.contains("TLS handshake not complete within 10000 ms: dropped"), "\(line)")
        #expect(try stalled.waitForEOF())
    }

    @Test func aClientLimitedToTLS11IsRefusedWithALogLine() throws {
        let gateway = try GatewayProcess(Self.tlsFlags + ["--echo"])
        let client = try ChildProcess(
            path: openssl,
            arguments: ["s_client", "-connect", "127.0.0.1:\(gateway.port)", "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"],
            standardInput: "/dev/null")
        #expect(try client.waitForExit(timeout: 60) != 0)
        let line = try gateway.process.waitForOutputLine(containing: "Dropped before a request")
        #expect(line.contains("TLS: unsupported protocol"), "\(line)")
    }

    @Test func plainHTTPAndGarbageAreDroppedWithALogLineAndAGoodClientStillWorks() throws {
        let gateway = try GatewayProcess(Self.tlsFlags + ["--echo"])
        let plain = try gateway.connect()
        try plain.send("GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n\r\n")
        #expect(try plain.waitForEOF())
        let first = try gateway.process.waitForOutputLine(containing: "Dropped before a request")
        #expect(first.contains("TLS: http request"), "\(first)")
        let garbage = try gateway.connect()
        try garbage.send((0..<200).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 5) })
        #expect(try garbage.waitForEOF())
        let lines = try gateway.process.waitForOutputLines(containing: "Dropped before a request: TLS: ", count: 2)
        #expect(lines.count == 2)
        let client = try Self.python(Self.websocketsClient, [String(gateway.port), TLSFixtures.caCertificate, "still fine"])
        #expect(try client.waitForExit(timeout: 60) == 0, "\(client.standardError)")
        #expect(client.standardOutput == "reply: still fine\n")
    }
}
