import Testing
import WSGateTLS
import WSGateTestSupport

/// Key exchange is limited to Mozilla "intermediate"'s groups: X25519, P-256, P-384. Checked
/// with TLS 1.3 clients: under TLS 1.2 the client's group list also limits the curve of an
/// ECDSA certificate (the test one is P-256), which would blur what is refused.
@Suite(.timeLimit(.minutes(10)))
struct KeyExchangeGroupTests {
    @Test(arguments: ["X25519", "prime256v1", "secp384r1"])
    func eachGroupOfTheListIsAccepted(group: String) throws {
        let pair = try EnginePair(client: MemoryTLSClient(groups: group))
        try pair.pump()
        #expect(pair.server.isHandshakeComplete)
    }

    @Test(arguments: ["secp521r1", "X448", "ffdhe2048"])
    func aClientOfferingOnlyAnotherGroupIsRefused(group: String) throws {
        let pair = try EnginePair(client: MemoryTLSClient(groups: group))
        #expect {
            try pair.pump()
        } throws: { error in
            guard case .connection(let reason) = error as? TLSError else { return false }
            return reason.contains("no suitable key share")
        }
        #expect(!pair.server.isHandshakeComplete)
    }
}
