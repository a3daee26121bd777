import WSGateCore
import WSGateTLS
import WSGateTestSupport

/// A `TLSEngine` and a `MemoryTLSClient` wired back to back, with what each side received.
final class EnginePair {
    let server: TLSEngine
    let client: MemoryTLSClient
    /// Plaintext the server decrypted so far.
    var serverReceived = ByteBuffer()
    /// Plaintext the client decrypted so far.
    var clientReceived: [UInt8] = []
    var serverSawCloseNotify = false
    var clientSawCloseNotify = false

    /// A server context on the test certificate.
    static func context() throws -> TLSServerContext {
        try TLSServerContext(certificateChainPath: TLSFixtures.serverCertificate, privateKeyPath: TLSFixtures.serverKey)
    }

    init(client: MemoryTLSClient? = nil, context: TLSServerContext? = nil) throws {
        server = try (context ?? Self.context()).makeEngine()
        self.client = try client ?? MemoryTLSClient()
    }

    /// Moves bytes both ways until neither side has any left; the server's errors are thrown.
    func pump() throws(TLSError) {
        client.handshake()
        var rounds = 0
        while true {
            rounds += 1
            precondition(rounds < 10_000, "pump does not settle")
            let toServer = client.takeCiphertext()
            var moved = !toServer.isEmpty
            if moved {
                if try server.receive(toServer, plaintext: &serverReceived) == .closedByPeer { serverSawCloseNotify = true }
            }
            var toClient = ByteBuffer()
            server.takeCiphertext(into: &toClient)
            if !toClient.isEmpty {
                moved = true
                client.receive(toClient)
                if client.isHandshakeComplete {
                    let (bytes, closed) = client.readAvailable()
                    clientReceived += bytes
                    if closed { clientSawCloseNotify = true }
                }
            }
            if !moved { return }
        }
    }

    /// The server's decrypted bytes as an array.
    var serverReceivedBytes: [UInt8] { serverReceived.readableBytesArray }
}
