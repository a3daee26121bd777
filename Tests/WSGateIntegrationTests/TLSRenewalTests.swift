import Foundation
import Glibc
import Testing
import WSGateTestSupport

/// Certificates renewed in place: after SIGHUP, or once the files change, new handshakes get
/// the new certificate while open connections go on; a broken replacement is logged and the
/// old certificate kept.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread, .tlsClientsInstalled) struct TLSRenewalTests {
    /// A folder with copies of the server certificate and key, which the tests replace.
    final class CertificateFolder {
        let path: String
        var certificate: String { path + "/cert.pem" }
        var key: String { path + "/key.pem" }

        init() throws {
            path = try TemporaryFiles.directory("tls-renewal")
            try install(TLSFixtures.serverCertificate, TLSFixtures.serverKey)
        }

        deinit { TemporaryFiles.removeDirectory(path) }

        /// Replaces both files as a renewal does: written aside, then renamed over.
        func install(_ certificate: String, _ key: String) throws {
            try replace(self.certificate, with: certificate)
            try replace(self.key, with: key)
        }

        func replace(_ target: String, with source: String) throws {
            try TemporaryFiles.write(try String(contentsOfFile: source, encoding: .utf8), to: target + ".new")
            guard rename(target + ".new", target) == 0 else { throw TestFailure("rename \(target): errno \(errno)") }
        }

        var flags: [String] { ["--ssl", "--sslcert=" + certificate, "--sslkey=" + key] }
    }

    /// Prints the CN of the certificate a new TLS connection is served with.
    static let servedName = """
        import socket, ssl, sys
        context = ssl.create_default_context(cafile=sys.argv[2])
        with socket.create_connection(("127.0.0.1", int(sys.argv[1]))) as raw:
            with context.wrap_socket(raw, server_hostname="localhost") as tls:
                print(dict(x[0] for x in tls.getpeercert()["subject"])["commonName"], flush=True)
        """

    /// Polls the served certificate (a bounded number of attempts, 0.1 s apart) until its CN is
    /// the one given; prints the CN seen last.
    static let waitForServedName = """
        import socket, ssl, sys, time
        context = ssl.create_default_context(cafile=sys.argv[2])
        seen = None
        for attempt in range(600):
            with socket.create_connection(("127.0.0.1", int(sys.argv[1]))) as raw:
                with context.wrap_socket(raw, server_hostname="localhost") as tls:
                    seen = dict(x[0] for x in tls.getpeercert()["subject"])["commonName"]
            if seen == sys.argv[3]:
                break
            time.sleep(0.1)
        print(seen, flush=True)
        """

    /// Opens a WebSocket and checks it echoes, prints "open", waits (bounded) for the file
    /// argv[3] to exist, then checks the same connection still echoes.
    static let longConnection = """
        import asyncio, os, ssl, sys, websockets
        port, ca, go = sys.argv[1:4]
        context = ssl.create_default_context(cafile=ca)
        async def main():
            async with websockets.connect(f"wss://localhost:{port}/", ssl=context) as ws:
                await ws.send("before"); print("reply:", await ws.recv(), flush=True)
                print("open", flush=True)
                for attempt in range(1200):
                    if os.path.exists(go): break
                    await asyncio.sleep(0.05)
                await ws.send("after"); print("reply:", await ws.recv(), flush=True)
        asyncio.run(main())
        """

    static func servedName(_ gateway: GatewayProcess) throws -> String {
        let client = try TLSTests.python(servedName, [String(gateway.port), TLSFixtures.caCertificate])
        #expect(try client.waitForExit(timeout: 60) == 0, "\(client.standardError)")
        return client.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func sighupLoadsTheRenewedCertificateForNewClientsWhileAnOpenConnectionGoesOn() throws {
        let folder = try CertificateFolder()
        let gateway = try GatewayProcess(folder.flags + ["--echo"])
        let go = folder.path + "/go"
        let open = try TLSTests.python(Self.longConnection, [String(gateway.port), TLSFixtures.caCertificate, go])
        try open.waitForOutputLine(containing: "open", timeout: 60)
        #expect(try Self.servedName(gateway) == "localhost")
        try folder.install(TLSFixtures.renewedCertificate, TLSFixtures.renewedKey)
        gateway.process.send(signal: SIGHUP)
        let line = try gateway.process.waitForOutputLine(containing: "TLS certificate")
        #expect(line.contains("Loaded the renewed TLS certificate"), "\(line)")
        #expect(try Self.servedName(gateway) == "localhost renewed")
        try TemporaryFiles.write("", to: go)
        #expect(try open.waitForExit(timeout: 60) == 0, "\(open.standardError)")
        #expect(open.standardOutput == "reply: before\nopen\nreply: after\n")
        #expect(gateway.process.exitStatus == nil, "SIGHUP must not stop the gateway")
    }

    @Test func aBrokenReplacementIsLoggedNamingTheFileAndTheOldCertificateKept() throws {
        let folder = try CertificateFolder()
        let gateway = try GatewayProcess(folder.flags + ["--echo"])
        try folder.install(TLSFixtures.renewedCertificate, TLSFixtures.otherKey)
        gateway.process.send(signal: SIGHUP)
        let line = try gateway.process.waitForOutputLine(containing: "TLS certificate")
        #expect(line.contains("ERROR"), "\(line)")
        #expect(line.contains(folder.key), "\(line)")
        #expect(line.contains("keeping the one in use"), "\(line)")
        #expect(try Self.servedName(gateway) == "localhost")
        // A missing file too.
        unlink(folder.certificate)
        gateway.process.send(signal: SIGHUP)
        let lines = try gateway.process.waitForOutputLines(containing: "keeping the one in use", count: 2)
        #expect(lines.last?.contains(folder.certificate) == true, "\(lines)")
        #expect(try Self.servedName(gateway) == "localhost")
    }

    /// Without `--ssl` SIGHUP is logged and changes nothing: the gateway goes on serving.
    @Test func sighupWithoutTLSIsLoggedAndTheGatewayGoesOn() throws {
        let gateway = try GatewayProcess(["--echo"])
        gateway.process.send(signal: SIGHUP)
        try gateway.process.waitForOutputLine(containing: "Received SIGHUP: no TLS certificate to reload")
        let client = try gateway.openWebSocket()
        try client.send(FrameBytes.text("still here"))
        #expect(try client.readMessage().text == "still here")
    }

    /// No signal: the files' change is noticed by polling; the test polls the served
    /// certificate until it is the new one (a bounded number of attempts).
    @Test func changedFilesAreLoadedWithoutASignal() throws {
        let folder = try CertificateFolder()
        let gateway = try GatewayProcess(folder.flags + ["--echo"])
        #expect(try Self.servedName(gateway) == "localhost")
        try folder.install(TLSFixtures.renewedCertificate, TLSFixtures.renewedKey)
        let client = try TLSTests.python(Self.waitForServedName,
                                         [String(gateway.port), TLSFixtures.caCertificate, "localhost renewed"])
        #expect(try client.waitForExit(timeout: 120) == 0, "\(client.standardError)")
        #expect(client.standardOutput == "localhost renewed\n")
        let line = try gateway.process.waitForOutputLine(containing: "TLS certificate")
        #expect(line.contains("files changed"), "\(line)")
    }
}
