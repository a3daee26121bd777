import Testing
import WSGateTestSupport
import WSGateWebSocket

/// Byte mode through a socket backend (docs/behaviour.md, 'Byte mode', 'Socket backends'): the
/// same bytes both ways, except where wsgate is (better).
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread, .websockifyInstalled) struct ComparisonRelayTests {
    /// Opens a WebSocket offering `binary`, sends `payload` as one binary message in 16 KiB
    /// writes (taking what has already come back between writes, so neither side can block
    /// on the other), then reads until every byte is back or `timeout` passes. Returns the
    /// selected subprotocol and what came back.
    static func echo(_ payload: [UInt8], through server: GatewayServer,
                     timeout: Double = 30) throws -> (String?, BinaryEcho) {
        let client = try server.connect()
        let response = try client.upgrade(headers: [("Sec-WebSocket-Protocol", "binary")])
        guard response.status == 101 else { throw TestFailure("\(server.gateway): expected 101, got \(response.status)") }
        let echoed = try client.echo(binary: payload, timeout: timeout)
        return (response.header("Sec-WebSocket-Protocol"), echoed)
    }

    /// 200 000 random bytes through an echoing TCP backend: both give back exactly those
    /// bytes, in binary messages, and both select the offered `binary` subprotocol (noVNC's).
    @Test func binaryBytesMakeTheSameRoundTripAndBinaryIsSelected() throws {
        let payload = TestClient.randomBytes(200_000)
        let both = try onBoth(.echo) { server, _ in try Self.echo(payload, through: server) }
        for (gateway, (selected, echo)) in [(Gateway.websockify, both.websockify), (.wsgate, both.wsgate)] {
            #expect(!echo.stalled, "\(gateway) stalled after \(echo.bytes.count) bytes")
            #expect(echo.allBinary, "\(gateway)")
            #expect(echo.bytes == payload, "\(gateway) echoed \(echo.bytes.count) bytes")
            #expect(selected == "binary", "\(gateway)")
        }
    }

    /// The same through a Unix-socket backend (`--unix-target=PATH` / `--unix=PATH`).
    @Test func binaryBytesMakeTheSameRoundTripThroughAUnixSocket() throws {
        let payload = TestClient.randomBytes(100_000)
        let both = try onBoth(.echo, unix: true) { server, _ in try Self.echo(payload, through: server) }
        for (gateway, (_, echo)) in [(Gateway.websockify, both.websockify), (.wsgate, both.wsgate)] {
            #expect(!echo.stalled, "\(gateway) stalled after \(echo.bytes.count) bytes")
            #expect(echo.bytes == payload, "\(gateway) echoed \(echo.bytes.count) bytes")
        }
    }

    /// No subprotocol offered: both answer 101 without `Sec-WebSocket-Protocol`.
    @Test func noOfferGetsNoSubprotocolFromBoth() throws {
        let both = try onBoth(.echo) { server, _ in
            let response = try server.connect().upgrade()
            return [String(response.status), response.header("Sec-WebSocket-Protocol") ?? "(none)"]
        }
        #expect(both.websockify == ["101", "(none)"])
        #expect(both.wsgate == both.websockify)
    }

    /// (better) `--subprotocol` default "`binary` if offered, else the client's first offer, so
    /// browser pages that pass protocols connect": a client offering only `base64` gets HTTP 400
    /// "Invalid protocol selected" from websockify (docs/behaviour.md, 'Subprotocols') and 101 with
    /// `base64` from wsgate.
    @Test func betterAnOfferWithoutBinaryIsRefusedByWebsockifyAndAcceptedByWsgate() throws {
        let both = try onBoth(.echo) { server, _ in
            try server.connect().upgrade(headers: [("Sec-WebSocket-Protocol", "base64")])
        }
        #expect(both.websockify.status == 400)
        #expect(both.wsgate.status == 101)
        #expect(both.wsgate.header("Sec-WebSocket-Protocol") == "base64")
    }

    /// "Byte mode … each message's payload (text or binary) is written unchanged" versus
    /// websockify's "Client text frames → close 1003" (docs/behaviour.md, 'Byte mode'; websockify
    /// #365, #592): a text message "hello\n" — websockify closes 1003 "Unsupported: Text frames are
    /// not supported" and the backend gets nothing; wsgate writes the bytes to the backend, whose
    /// echo comes back as a binary message.
    @Test func betterATextFrameIsClosed1003ByWebsockifyAndRelayedByWsgate() throws {
        let both = try onBoth(.echo) { server, backend -> (Transcript, [UInt8]) in
            let client = try server.openWebSocket()
            try client.send(FrameBytes.text("hello\n"))
            if server.gateway == .wsgate {
                try backend.waitForReceived(atLeast: 6)
                var echoed = Transcript()
                while echoed.bytes.count < 6 {
                    let message = try client.readMessage()
                    echoed.messages.append(Transcript.Message(opcode: message.opcode, payload: message.payload))
                }
                try client.send(FrameBytes.close(code: 1000))
                echoed.ending = try Transcript.read(from: client, answerClose: false).ending
                return (echoed, backend.connection(0)?.received ?? [])
            }
            let transcript = try Transcript.read(from: client)
            // websockify shuts the backend connection down with the client's.
            return (transcript, try backend.waitUntilClosed().received)
        }
        #expect(both.websockify.0 == Transcript(
                                                ending: .closeFrame(code: 1003, reason: "Unsupported: Text frames are not supported")))
        #expect(both.websockify.1 == [])
        #expect(both.wsgate.1 == Array("hello\n".utf8))
        #expect(both.wsgate.0.text == "hello\n")
        #expect(both.wsgate.0.allBinary)
        #expect(both.wsgate.0.ending.code == 1000)
    }
}
