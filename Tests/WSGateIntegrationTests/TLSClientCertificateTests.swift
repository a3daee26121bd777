import Glibc
import Testing
import WSGateTestSupport

/// `--sslca` through the real binary with real clients: Python's `websockets` with and without
/// a client certificate, and `openssl s_client -cert/-key`.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread, .tlsClientsInstalled) struct TLSClientCertificateTests {
    static var mutualFlags: [String] { TLSTests.tlsFlags + ["--sslca=" + TLSFixtures.caCertificate] }

    /// Connects to wss://localhost:PORT/ presenting CERT and KEY ("-" for none) and prints every
    /// message until the server closes.
    static let client = """
        import asyncio, ssl, sys, websockets
        port, ca, cert, key = sys.argv[1:5]
        context = ssl.create_default_context(cafile=ca)
        if cert != "-":
            context.load_cert_chain(cert, key)
        async def main():
            async with websockets.connect(f"wss://localhost:{port}/", ssl=context) as ws:
                async for message in ws:
                    print("message:", message, flush=True)
        asyncio.run(main())
        """

    static func connect(_ gateway: GatewayProcess, certificate: String, key: String) throws -> ChildProcess {
        try TLSTests.python(Self.client, [String(gateway.port), TLSFixtures.caCertificate, certificate, key])
    }

    @Test func aProgramSeesTheVerifiedSubjectOfTheClientCertificate() throws {
        let gateway = try GatewayProcess(Self.mutualFlags + [Executables.path("wsgate-testcmd"), "env"])
        let client = try Self.connect(gateway, certificate: TLSFixtures.clientCertificate, key: TLSFixtures.clientKey)
        #expect(try client.waitForExit(timeout: 60) == 0, "\(client.standardError)")
        let output = client.standardOutput
        #expect(output.contains("message: SSL_CLIENT_S_DN=\(TLSFixtures.clientSubject)\n"), "\(output)")
        #expect(output.contains("message: SSL_CLIENT_VERIFY=SUCCESS\n"), "\(output)")
    }

    /// Without `--sslca` a client's certificate is not asked for, and nothing claims one.
    @Test func withoutSSLCAProgramsSeeNoClientCertificate() throws {
        let gateway = try GatewayProcess(TLSTests.tlsFlags + [Executables.path("wsgate-testcmd"), "env"])
        let client = try Self.connect(gateway, certificate: TLSFixtures.clientCertificate, key: TLSFixtures.clientKey)
        #expect(try client.waitForExit(timeout: 60) == 0, "\(client.standardError)")
        #expect(client.standardOutput.contains("message: HTTPS=on\n"), "\(client.standardOutput)")
        #expect(!client.standardOutput.contains("SSL_CLIENT_"), "\(client.standardOutput)")
    }

    @Test func aClientWithoutACertificateIsRefusedAtTheHandshakeAndLogged() throws {
        let gateway = try GatewayProcess(Self.mutualFlags + [Executables.path("wsgate-testcmd"), "env"])
        let client = try Self.connect(gateway, certificate: "-", key: "-")
        #expect(try client.waitForExit(timeout: 60) != 0)
        #expect(!client.standardOutput.contains("message:"))
        let line = try gateway.process.waitForOutputLine(containing: "Dropped before a request")
        #expect(line.contains("TLS: peer did not return a certificate"), "\(line)")
        #expect(!gateway.process.standardOutput.contains("CONNECT"))
    }

    @Test func aCertificateFromAnotherCAIsRefusedAtTheHandshakeAndLogged() throws {
        let gateway = try GatewayProcess(Self.mutualFlags + [Executables.path("wsgate-testcmd"), "env"])
        let client = try Self.connect(gateway, certificate: TLSFixtures.strangerCertificate, key: TLSFixtures.strangerKey)
        #expect(try client.waitForExit(timeout: 60) != 0)
        #expect(!client.standardOutput.contains("message:"))
        let line = try gateway.process.waitForOutputLine(containing: "Dropped before a request")
        #expect(line.contains("TLS: certificate verify failed (unable to get local issuer certificate)"), "\(line)")
    }

    /// A `--cgidir` script gets the same variables (through Python's https client, with the
    /// client certificate).
    @Test func aCGIScriptSeesTheVerifiedSubject() throws {
        let scripts = try CGITests.Scripts()
        let gateway = try GatewayProcess(Self.mutualFlags + ["--cgidir=\(scripts.root)"])
        let script = """
            import ssl, sys, urllib.request
            context = ssl.create_default_context(cafile=sys.argv[2])
            context.load_cert_chain(sys.argv[3], sys.argv[4])
            print(urllib.request.urlopen(f"https://localhost:{sys.argv[1]}/env.cgi", context=context).read().decode())
            """
        let client = try TLSTests.python(script, [String(gateway.port), TLSFixtures.caCertificate,
                                                  TLSFixtures.clientCertificate, TLSFixtures.clientKey])
        #expect(try client.waitForExit(timeout: 60) == 0, "\(client.standardError)")
        #expect(client.standardOutput.contains("\nSSL_CLIENT_S_DN=\(TLSFixtures.clientSubject)\n"), "\(client.standardOutput)")
        #expect(client.standardOutput.contains("\nSSL_CLIENT_VERIFY=SUCCESS\n"), "\(client.standardOutput)")
    }

    @Test func aMissingCAFileStopsTheStartWithOneLineNamingIt() throws {
        let missing = TLSFixtures.directory + "/missing-ca.pem"
        let process = try ChildProcess(path: Executables.path("wsgate"),
                                       arguments: ["--port=0", "--address=127.0.0.1"] + TLSTests.tlsFlags
                                           + ["--sslca=" + missing, "--echo"])
        #expect(try process.waitForExit(timeout: 30) == 1)
        let lines = process.standardOutput.split(separator: "\n")
        #expect(lines.count == 1, "\(process.standardOutput)")
        #expect(lines.first?.contains(missing) == true, "\(process.standardOutput)")
    }

    /// s_client sees the test CA named in the certificate request, presents its certificate
    /// and gets an HTTP answer through the verified connection.
    @Test func opensslSClientWithACertificateIsAskedForTheTestCAAndServed() throws {
        let site = try TemporaryFiles.directory("tls-mutual-site")
        defer { TemporaryFiles.removeDirectory(site) }
        try TemporaryFiles.write("hello from a verified client\n", to: site + "/hello.txt")
        try TemporaryFiles.write("GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                                 to: site + "/request")
        let gateway = try GatewayProcess(Self.mutualFlags + ["--staticdir=" + site])
        let client = try ChildProcess(
            path: "/usr/bin/openssl",
            arguments: ["s_client", "-connect", "127.0.0.1:\(gateway.port)", "-servername", "localhost", "-ign_eof",
                        "-CAfile", TLSFixtures.caCertificate, "-verify_return_error",
                        "-cert", TLSFixtures.clientCertificate, "-key", TLSFixtures.clientKey],
            standardInput: site + "/request")
        #expect(try client.waitForExit(timeout: 60) == 0, "\(client.standardError)")
        let output = client.standardOutput
        #expect(output.contains("Acceptable client certificate CA names\nCN = wsgate test CA\n"), "\(output)")
        #expect(output.contains("HTTP/1.1 200 OK"), "\(output)")
        #expect(output.contains("hello from a verified client"), "\(output)")
    }
}
