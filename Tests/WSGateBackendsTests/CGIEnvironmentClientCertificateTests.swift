import Testing
import WSGatePosix
@testable import WSGateBackends

/// `--sslca`: SSL_CLIENT_S_DN and SSL_CLIENT_VERIFY come from the TLS connection only, never
/// from a header or `--passenv`.
@Suite(.timeLimit(.minutes(10))) struct CGIEnvironmentClientCertificateTests {
    static let subject = "CN=test client,O=wsgate tests"

    static func request(isHTTPS: Bool, subject: String?, extraHeaders: [(name: String, value: String)] = [])
        -> CGIRequest
    {
        var request = CGIEnvironmentTests.observedRequest(isHTTPS: isHTTPS)
        request.clientCertificateSubject = subject
        request.headers += extraHeaders
        return request
    }

    /// Headers a client might send to pose as a verified client.
    static let spoofingHeaders: [(name: String, value: String)] = [
        ("SSL_CLIENT_S_DN", "CN=admin"), ("SSL-Client-S-DN", "CN=admin"), ("SSL_CLIENT_VERIFY", "SUCCESS"),
    ]

    /// `--passenv` values that would pose as a verified client.
    static let spoofingPassed: [(name: String, value: String)] = [
        ("SSL_CLIENT_S_DN", "CN=admin"), ("SSL_CLIENT_VERIFY", "SUCCESS"),
    ]

    @Test func aVerifiedClientCertificateAddsItsSubjectAndVerifyAfterHTTPS() {
        let env = CGIEnvironment.build(Self.request(isHTTPS: true, subject: Self.subject), passedEnvironment: []).entries
        let index = env.firstIndex(of: "HTTPS=on")
        #expect(index.map { env[$0 + 1] } == "SSL_CLIENT_S_DN=\(Self.subject)")
        #expect(index.map { env[$0 + 2] } == "SSL_CLIENT_VERIFY=SUCCESS")
        #expect(index.map { env[$0 + 3] } == "HTTP_HOST=127.0.0.1:9601")
    }

    @Test func tlsWithoutAClientCertificateHasNeitherVariable() {
        let env = CGIEnvironment.build(Self.request(isHTTPS: true, subject: nil), passedEnvironment: []).entries
        #expect(env.contains("HTTPS=on"))
        #expect(!env.contains { $0.hasPrefix("SSL_CLIENT_") })
    }

    /// A subject without TLS cannot happen; if it did, nothing would claim a certificate.
    @Test func aSubjectWithoutTLSIsNotShown() {
        let env = CGIEnvironment.build(Self.request(isHTTPS: false, subject: Self.subject), passedEnvironment: []).entries
        #expect(!env.contains { $0.hasPrefix("SSL_CLIENT_") })
    }

    @Test(arguments: [false, true])
    func neitherAHeaderNorAPassedVariableCanSetThem(verified: Bool) {
        let request = Self.request(isHTTPS: true, subject: verified ? Self.subject : nil,
                                   extraHeaders: Self.spoofingHeaders)
        let env = CGIEnvironment.build(request, passedEnvironment: Self.spoofingPassed).entries
        let variables = env.filter { $0.hasPrefix("SSL_CLIENT_") }
        #expect(variables == (verified ? ["SSL_CLIENT_S_DN=\(Self.subject)", "SSL_CLIENT_VERIFY=SUCCESS"] : []))
        #expect(!env.contains { $0.hasSuffix("=CN=admin") && !$0.hasPrefix("HTTP_") })
    }

    @Test func passenvNeverReadsThem() {
        let passed = CGIEnvironment.passedEnvironment(
            names: ["SSL_CLIENT_S_DN", "SSL_CLIENT_VERIFY", "PATH"],
            from: ["SSL_CLIENT_S_DN": "CN=admin", "SSL_CLIENT_VERIFY": "SUCCESS", "PATH": "/bin"])
        #expect(passed.map(\.name) == ["PATH"])
    }

    @Test func theSubjectIsPartOfRequestEquality() {
        #expect(Self.request(isHTTPS: true, subject: Self.subject) != Self.request(isHTTPS: true, subject: nil))
    }
}
