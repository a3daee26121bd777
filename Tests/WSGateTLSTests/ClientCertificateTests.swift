import Testing
import WSGateTLS
import WSGateTestSupport

/// `--sslca`: the handshake requires a client certificate signed by the given CA, and the
/// engine reports the verified subject.
@Suite(.timeLimit(.minutes(10)))
struct ClientCertificateTests {
    static func mutualContext(ca: String = TLSFixtures.caCertificate) throws -> TLSServerContext {
        try TLSServerContext(certificateChainPath: TLSFixtures.serverCertificate, privateKeyPath: TLSFixtures.serverKey,
                             clientCAPath: ca)
    }

    static func client(_ certificate: String, _ key: String) throws -> MemoryTLSClient {
        try MemoryTLSClient(certificate: (certificate, key))
    }

    @Test(arguments: [MemoryTLSClient.Version.tls12, .tls13])
    func aCertificateSignedByTheCAIsVerifiedAndItsSubjectRead(version: MemoryTLSClient.Version) throws {
        let client = try MemoryTLSClient(maximumVersion: version, ciphers: version == .tls12 ? "ECDHE-ECDSA-AES128-GCM-SHA256" : nil,
                                         certificate: (TLSFixtures.clientCertificate, TLSFixtures.clientKey))
        let pair = try EnginePair(client: client, context: Self.mutualContext())
        try pair.pump()
        #expect(pair.server.isHandshakeComplete)
        #expect(pair.server.verifiedPeerSubject == TLSFixtures.clientSubject)
    }

    @Test func aClientWithoutACertificateIsRefusedSayingSo() throws {
        let pair = try EnginePair(context: Self.mutualContext())
        #expect {
            try pair.pump()
        } throws: { error in
            guard case .connection(let reason) = error as? TLSError else { return false }
            return reason.contains("peer did not return a certificate")
        }
        #expect(pair.server.verifiedPeerSubject == nil)
    }

    @Test func aCertificateFromAnotherCAIsRefusedSayingWhy() throws {
        let pair = try EnginePair(client: Self.client(TLSFixtures.strangerCertificate, TLSFixtures.strangerKey),
                                  context: Self.mutualContext())
        #expect {
            try pair.pump()
        } throws: { error in
            guard case .connection(let reason) = error as? TLSError else { return false }
            return reason.contains("certificate verify failed (unable to get local issuer certificate)")
        }
        #expect(pair.server.verifiedPeerSubject == nil)
    }

    /// Only the CAs in the file count: the test CA's client is refused when the file is the
    /// other CA.
    @Test func onlyTheGivenCACounts() throws {
        let pair = try EnginePair(client: Self.client(TLSFixtures.clientCertificate, TLSFixtures.clientKey),
                                  context: Self.mutualContext(ca: TLSFixtures.otherCA))
        #expect(throws: TLSError.self) { try pair.pump() }
    }

    /// Without `--sslca` no certificate is asked for, so none is reported.
    @Test func withoutAClientCAThereIsNoSubject() throws {
        let pair = try EnginePair(client: Self.client(TLSFixtures.clientCertificate, TLSFixtures.clientKey))
        try pair.pump()
        #expect(pair.server.isHandshakeComplete)
        #expect(pair.server.verifiedPeerSubject == nil)
    }

    @Test(arguments: ["/missing.pem", "/README.md"])
    func aCAFileThatIsMissingOrHoldsNoCertificateIsNamed(name: String) {
        let path = TLSFixtures.directory + name
        #expect {
            try Self.mutualContext(ca: path)
        } throws: { error in
            guard case .clientCAFile(let named, _) = error as? TLSError else { return false }
            return named == path && "\(error)".contains(path)
        }
    }
}
