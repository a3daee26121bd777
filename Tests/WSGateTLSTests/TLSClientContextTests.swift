import Testing
import WSGateCore
import WSGateTLS
import WSGateTestSupport

/// The load tool's client side (`TLSClientContext`) against the gateway's server side, both
/// `TLSEngine`s, bytes moved in memory.
@Suite(.timeLimit(.minutes(10)))
struct TLSClientContextTests {
    /// Moves ciphertext both ways until neither engine has any; returns what each decrypted.
    private func pump(_ client: TLSEngine, _ server: TLSEngine) throws -> (client: [UInt8], server: [UInt8]) {
        var toClient = ByteBuffer(), toServer = ByteBuffer()
        var clientPlain = ByteBuffer(), serverPlain = ByteBuffer()
        for _ in 0..<100 {
            toServer.clear()
            client.takeCiphertext(into: &toServer)
            if !toServer.isEmpty { _ = try server.receive(toServer, plaintext: &serverPlain) }
            toClient.clear()
            server.takeCiphertext(into: &toClient)
            if !toClient.isEmpty { _ = try client.receive(toClient, plaintext: &clientPlain) }
            if client.pendingCiphertextBytes == 0 && server.pendingCiphertextBytes == 0 { break }
        }
        return (clientPlain.readableBytesArray, serverPlain.readableBytesArray)
    }

    @Test func aNewClientEngineHasItsClientHelloReady() throws {
        let client = try TLSClientContext().makeEngine()
        #expect(client.pendingCiphertextBytes > 0)
        #expect(!client.isHandshakeComplete)
    }

    @Test func theClientAndTheServerEngineTalkOverTLS13WithHTTP11() throws {
        let client = try TLSClientContext().makeEngine()
        let server = try EnginePair.context().makeEngine()
        try client.send(ByteBuffer(string: "GET / HTTP/1.1\r\n\r\n"))  // waits for the handshake
        var seen = try pump(client, server)
        #expect(client.isHandshakeComplete && server.isHandshakeComplete)
        #expect(client.protocolVersion == "TLSv1.3")
        #expect(server.applicationProtocol == "http/1.1")
        #expect(seen.server == Array("GET / HTTP/1.1\r\n\r\n".utf8))
        try server.send(ByteBuffer(string: "HTTP/1.1 101"))
        seen = try pump(client, server)
        #expect(seen.client == Array("HTTP/1.1 101".utf8))
    }

    /// No resumption: a second connection from the same context makes a full handshake (the
    /// server sends its certificate and signature again, so its first flight is as large as
    /// the first time, give or take the ECDSA signature's DER length).
    @Test func everyConnectionMakesAFullHandshake() throws {
        let context = try TLSClientContext()
        let serverContext = try EnginePair.context()
        var firstFlights: [Int] = []
        for _ in 0..<2 {
            let client = try context.makeEngine()
            let server = try serverContext.makeEngine()
            var hello = ByteBuffer(), nothing = ByteBuffer(), flight = ByteBuffer()
            client.takeCiphertext(into: &hello)
            _ = try server.receive(hello, plaintext: &nothing)
            server.takeCiphertext(into: &flight)
            firstFlights.append(flight.readableBytes)
            _ = try client.receive(flight, plaintext: &nothing)
            _ = try pump(client, server)
            #expect(client.isHandshakeComplete && server.isHandshakeComplete)
        }
        #expect(abs(firstFlights[1] - firstFlights[0]) <= 4)
    }
}
