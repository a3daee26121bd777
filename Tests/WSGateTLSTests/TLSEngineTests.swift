import Testing
import WSGateCore
import WSGateTLS
import WSGateTestSupport

@Suite(.timeLimit(.minutes(10)))
struct TLSEngineTests {
    @Test func aClientThatTrustsTheTestCACompletesTheHandshake() throws {
        let pair = try EnginePair()
        try pair.pump()
        #expect(pair.client.failure == nil)
        #expect(pair.client.isHandshakeComplete)
        #expect(pair.server.isHandshakeComplete)
        #expect(pair.server.protocolVersion == "TLSv1.3")
        #expect(pair.serverReceived.isEmpty)
    }

    /// The handshake fed one byte at a time: every split point of every record.
    @Test func theHandshakeWorksWhenCiphertextArrivesOneByteAtATime() throws {
        let pair = try EnginePair()
        pair.client.handshake()
        var rounds = 0
        while !pair.client.isHandshakeComplete && pair.client.failure == nil {
            rounds += 1
            try #require(rounds < 100)
            let hello = pair.client.takeCiphertext()
            for byte in hello.readableBytesArray {
                var plaintext = ByteBuffer()
                #expect(try pair.server.receive(ByteBuffer(bytes: [byte]), plaintext: &plaintext) == .open)
                #expect(plaintext.isEmpty)
            }
            var answer = ByteBuffer()
            pair.server.takeCiphertext(into: &answer)
            for byte in answer.readableBytesArray { pair.client.receive(ByteBuffer(bytes: [byte])) }
        }
        try pair.pump()
        #expect(pair.client.failure == nil)
        #expect(pair.server.isHandshakeComplete)
    }

    @Test func manySmallWritesArriveInOrderBothWays() throws {
        let pair = try EnginePair()
        try pair.pump()
        var expectedAtServer: [UInt8] = []
        var expectedAtClient: [UInt8] = []
        for index in 0..<2000 {
            let toServer = Array("c\(index);".utf8)
            let toClient = Array("s\(index);".utf8)
            pair.client.send(toServer)
            try pair.server.send(ByteBuffer(bytes: toClient))
            expectedAtServer += toServer
            expectedAtClient += toClient
            // Sometimes several records at once, so the server must read them all in one go.
            if index % 7 == 0 { try pair.pump() }
        }
        try pair.pump()
        #expect(pair.serverReceivedBytes == expectedAtServer)
        #expect(pair.clientReceived == expectedAtClient)
    }

    @Test func oneMebibyteWriteArrivesWholeBothWays() throws {
        let pair = try EnginePair()
        try pair.pump()
        let payload = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        try pair.server.send(ByteBuffer(bytes: payload))
        pair.client.send(payload)
        try pair.pump()
        #expect(pair.clientReceived == payload)
        #expect(pair.serverReceivedBytes == payload)
    }

    /// Reads end anywhere: inside a record header, inside a body, between records. Whatever
    /// is taken of a partial record waits inside OpenSSL for the rest.
    @Test func recordsSplitAtAnyPointDecryptWhole() throws {
        let pair = try EnginePair()
        try pair.pump()
        var expected: [UInt8] = []
        for index in 0..<40 {
            let message = (0..<(index * 997 % 20_000 + 1)).map { UInt8(truncatingIfNeeded: $0 &+ index) }
            pair.client.send(message)
            expected += message
        }
        let ciphertext = pair.client.takeCiphertext().readableBytesArray
        var plaintext = ByteBuffer()
        var offset = 0
        var step = 1
        while offset < ciphertext.count {
            let end = min(offset + step, ciphertext.count)
            #expect(try pair.server.receive(ByteBuffer(bytes: ciphertext[offset..<end]), plaintext: &plaintext) == .open)
            offset = end
            step = step * 7 % 9_973 + 1  // 1, 8, 57, 400, 2801, … then all over the range
        }
        #expect(plaintext.readableBytesArray == expected)
    }

    /// A returning browser resumes with the server's ticket (no certificate, no signature);
    /// the server keeps no session cache, so the ticket alone carries the session.
    @Test func aReturningClientResumesWithItsTicket() throws {
        let context = try EnginePair.context()
        let first = try EnginePair(context: context)
        try first.pump()
        let session = try #require(first.client.session())
        #expect(!first.client.resumedSession)
        let second = try EnginePair(client: MemoryTLSClient(resuming: session), context: context)
        try second.pump()
        #expect(second.client.isHandshakeComplete)
        #expect(second.client.resumedSession)
    }

    @Test func plaintextSentBeforeTheHandshakeEndsGoesOutAfterIt() throws {
        let pair = try EnginePair()
        try pair.server.send(ByteBuffer(string: "early"))
        try pair.pump()
        #expect(pair.clientReceived == Array("early".utf8))
    }

    @Test func thePeersCloseNotifyEndsItsData() throws {
        let pair = try EnginePair()
        try pair.pump()
        pair.client.send(Array("last words".utf8))
        pair.client.sendCloseNotify()
        try pair.pump()
        #expect(pair.serverReceivedBytes == Array("last words".utf8))
        #expect(pair.serverSawCloseNotify)
        #expect(pair.server.peerSentCloseNotify)
    }

    @Test func ourCloseNotifyReachesThePeer() throws {
        let pair = try EnginePair()
        try pair.pump()
        try pair.server.send(ByteBuffer(string: "bye"))
        pair.server.sendCloseNotify()
        try pair.server.send(ByteBuffer(string: "dropped after close_notify"))
        try pair.pump()
        #expect(pair.clientReceived == Array("bye".utf8))
        #expect(pair.clientSawCloseNotify)
    }

    @Test func anHTTPRequestInsteadOfAClientHelloIsAnError() throws {
        let server = try EnginePair.context().makeEngine()
        var plaintext = ByteBuffer()
        #expect(throws: TLSError.self) {
            _ = try server.receive(ByteBuffer(string: "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"), plaintext: &plaintext)
        }
        #expect(plaintext.isEmpty)
        #expect(!server.isHandshakeComplete)
    }

    @Test func garbageInsteadOfAClientHelloIsAnErrorWithOpenSSLsReason() throws {
        let server = try EnginePair.context().makeEngine()
        var plaintext = ByteBuffer()
        let garbage = ByteBuffer(bytes: (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 73 &+ 0x16) })
        do {
            _ = try server.receive(garbage, plaintext: &plaintext)
            Issue.record("garbage was accepted")
        } catch {
            guard case .connection(let reason) = error else { Issue.record("\(error)"); return }
            #expect(!reason.isEmpty && reason != "protocol error", "\(reason)")
        }
        #expect(plaintext.isEmpty)
    }

    @Test func aTruncatedClientHelloWaitsForTheRest() throws {
        let pair = try EnginePair()
        pair.client.handshake()
        var hello = pair.client.takeCiphertext()
        try #require(hello.readableBytes > 10)
        let headSlice = hello.readSlice(hello.readableBytes - 1)
        let head = try #require(headSlice)
        var plaintext = ByteBuffer()
        #expect(try pair.server.receive(head, plaintext: &plaintext) == .open)
        #expect(plaintext.isEmpty)
        #expect(pair.server.pendingCiphertextBytes == 0)
        #expect(!pair.server.isHandshakeComplete)
        // The last byte completes it.
        #expect(try pair.server.receive(hello, plaintext: &plaintext) == .open)
        #expect(pair.server.pendingCiphertextBytes > 0)
    }

    @Test func aClientThatOnlySpeaksTLS11IsRefused() throws {
        let pair = try EnginePair(client: MemoryTLSClient(maximumVersion: .tls11))
        do {
            try pair.pump()
            Issue.record("a TLS 1.1 client was accepted")
        } catch {
            #expect(error.description.contains("unsupported protocol"), "\(error)")
        }
        #expect(!pair.server.isHandshakeComplete)
        // The alert goes back to the client.
        var alert = ByteBuffer()
        pair.server.takeCiphertext(into: &alert)
        pair.client.receive(alert)
        #expect(!pair.client.isHandshakeComplete)
        #expect(pair.client.failure != nil)
    }

    @Test func alpnPicksHTTP11WhenOffered() throws {
        let pair = try EnginePair(client: MemoryTLSClient(alpn: ["h2", "http/1.1"]))
        try pair.pump()
        #expect(pair.server.applicationProtocol == "http/1.1")
        #expect(pair.client.applicationProtocol == "http/1.1")
    }

    @Test func alpnAnswersNothingWithoutHTTP11() throws {
        let pair = try EnginePair(client: MemoryTLSClient(alpn: ["h2"]))
        try pair.pump()
        #expect(pair.server.isHandshakeComplete)
        #expect(pair.server.applicationProtocol == nil)
    }

    @Test func theTLS12HandshakeUsesAForwardSecretAEADSuite() throws {
        let pair = try EnginePair(client: MemoryTLSClient(maximumVersion: .tls12))
        try pair.pump()
        #expect(pair.server.protocolVersion == "TLSv1.2")
        #expect(pair.client.failure == nil)
        let cipher = pair.client.cipherName
        #expect(cipher.hasPrefix("ECDHE-") && (cipher.contains("GCM") || cipher.contains("CHACHA20")), "\(cipher)")
    }

    /// Whatever refuses it (SSL_OP_NO_RENEGOTIATION, or OpenSSL 3's own default for a
    /// client's request), a TLS 1.2 renegotiation never completes.
    @Test func aRenegotiationIsRefused() throws {
        let pair = try EnginePair(client: MemoryTLSClient(maximumVersion: .tls12))
        try pair.pump()
        pair.client.renegotiate()
        // The server answers with a no_renegotiation alert; OpenSSL's client then gives up
        // with a fatal alert, which ends the connection on the server too.
        var serverError: TLSError?
        do { try pair.pump() } catch { serverError = error }
        #expect(!pair.client.isHandshakeComplete, "the renegotiation completed")
        #expect(pair.client.failure?.contains("no renegotiation") == true, "\(pair.client.failure ?? "no failure")")
        #expect(serverError != nil)
    }

    /// Mozilla "intermediate" has no CBC and no static RSA key exchange.
    @Test func aTLS12ClientWithOnlyOldCiphersIsRefused() throws {
        let pair = try EnginePair(client: MemoryTLSClient(maximumVersion: .tls12, ciphers: "AES128-SHA:ECDHE-ECDSA-AES128-SHA"))
        do {
            try pair.pump()
            Issue.record("a client without an intermediate cipher was accepted")
        } catch {
            #expect(error.description.contains("no shared cipher"), "\(error)")
        }
    }
}
