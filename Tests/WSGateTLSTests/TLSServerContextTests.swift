import Testing
import WSGateTLS
import WSGateTestSupport

@Suite(.timeLimit(.minutes(10)))
struct TLSServerContextTests {
    @Test func aMissingCertificateFileIsNamed() {
        let path = TLSFixtures.directory + "/missing.pem"
        #expect {
            try TLSServerContext(certificateChainPath: path, privateKeyPath: TLSFixtures.serverKey)
        } throws: { error in
            guard case .certificateFile(let named, let reason) = error as? TLSError else { return false }
            return named == path && reason.contains("No such file")
        }
    }

    @Test func aMissingKeyFileIsNamed() {
        let path = TLSFixtures.directory + "/missing.key"
        #expect {
            try TLSServerContext(certificateChainPath: TLSFixtures.serverCertificate, privateKeyPath: path)
        } throws: { error in
            guard case .privateKeyFile(let named, _) = error as? TLSError else { return false }
            return named == path && "\(error)".contains(path)
        }
    }

    @Test func aFileThatIsNotPEMIsRefused() {
        // The README is text but no certificate.
        let path = TLSFixtures.directory + "/README.md"
        #expect {
            try TLSServerContext(certificateChainPath: path, privateKeyPath: TLSFixtures.serverKey)
        } throws: { error in
            guard case .certificateFile(let named, _) = error as? TLSError else { return false }
            return named == path
        }
    }

    @Test func aKeyOfAnotherCertificateIsAMismatch() {
        #expect {
            try TLSServerContext(certificateChainPath: TLSFixtures.serverCertificate, privateKeyPath: TLSFixtures.otherKey)
        } throws: { error in
            (error as? TLSError) == .keyMismatch(certificatePath: TLSFixtures.serverCertificate, keyPath: TLSFixtures.otherKey)
        }
    }

    @Test func aCertificateGivenAsTheKeyIsRefusedNamingTheKeyFile() {
        #expect {
            try TLSServerContext(certificateChainPath: TLSFixtures.serverCertificate,
                                 privateKeyPath: TLSFixtures.serverCertificate)
        } throws: { error in
            guard case .privateKeyFile(let named, _) = error as? TLSError else { return false }
            return named == TLSFixtures.serverCertificate
        }
    }

    @Test func theFixturesLoad() throws {
        _ = try TLSServerContext(certificateChainPath: TLSFixtures.serverCertificate, privateKeyPath: TLSFixtures.serverKey)
    }
}
