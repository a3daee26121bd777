public import WSGateCore

/// The close handshake and ping/pong rules of one connection (RFC 6455 §5.5, §7), as a value
/// type that turns inputs into actions.
///
/// Why it exists: the rules of who sends which Close, when to answer a ping and when to drop
/// TCP are easy to get subtly wrong in I/O code, and cannot be unit-tested there. This type
/// does no I/O and owns no timers: the connection object feeds it every input and only
/// EXECUTES the action it returns (send this frame, arm the close timer, close the socket).
///
/// States: `open`; `closeSent` (we sent a Close and wait for the peer's, under a timer the I/O
/// object arms when an action says `.awaitPeerClose`); `closeReceived` (the peer's Close came
/// and our reply waits while a backend finishes its last answer, §5.5.1 "An endpoint MAY
/// delay sending a Close frame until its current message is sent"); `closed`.
///
/// After a protocol error the decoder cannot be trusted, so it throws again on any further
/// bytes; in `closeSent` that second `protocolError` input closes the connection, which is the
/// same thing the peer's Close reply would have done.
public struct WebSocketStateMachine: Sendable {
    /// Where the close handshake stands (§7.1).
    public enum State: Hashable, Sendable {
        case open
        case closeSent
        case closeReceived
        case closed
    }

    /// Something that happened to the connection.
    public enum Input: Equatable, Sendable {
        /// A complete data message arrived.
        case receivedMessage(opcode: WebSocketOpcode, payload: ByteBuffer)
        /// A part of a data message relayed as it arrives.
        case receivedMessagePart(WebSocketMessagePart)
        case receivedPing(ByteBuffer)
        case receivedPong(ByteBuffer)
        /// A valid Close arrived (`code` nil: empty body).
        case receivedClose(code: WebSocketCloseCode?, reason: String)
        /// A valid Close arrived and the backend still has output to send: the reply waits
        /// for `close` (or the close timer, which the I/O object arms).
        case receivedCloseReplyingLater(code: WebSocketCloseCode?)
        /// The decoder or assembler found a violation.
        case protocolError(WebSocketError)
        /// We want to close (server shutdown 1001, backend finished 1000 or failed 1011).
        case close(code: WebSocketCloseCode, reason: String)
        /// The timer armed on entering `closeSent` fired.
        case closeTimeout
        /// The peer closed the TCP connection (or it broke).
        case transportEOF
    }

    /// What the I/O object must do next.
    public enum Action: Equatable, Sendable {
        /// Nothing.
        case none
        /// Hand the message to the backend.
        case deliver(opcode: WebSocketOpcode, payload: ByteBuffer)
        /// Hand the part of a message to the backend.
        case deliverPart(WebSocketMessagePart)
        /// Send a Pong with this application data.
        case sendPong(ByteBuffer)
        /// Send a Close frame (`code` nil: empty body, reason ignored), then do `then`.
        case sendClose(code: WebSocketCloseCode?, reason: String, then: AfterClose)
        /// Close the TCP connection now.
        case closeConnection
    }

    /// What follows a Close frame we send.
    public enum AfterClose: Hashable, Sendable {
        /// Keep reading for the peer's Close; arm the close timer.
        case awaitPeerClose
        /// Close the TCP connection right after the frame is written (we echoed the peer's
        /// Close: §7.1.1 "the underlying TCP connection, in most normal cases, SHOULD be
        /// closed first by the server").
        case closeConnection
    }

    public private(set) var state: State = .open
    /// In `closeReceived`: the peer's code, echoed when the reply goes out.
    private var deferredReplyCode: WebSocketCloseCode?
    /// Pongs received so far (the liveness evidence a keep-alive pinger looks at).
    public private(set) var pongsReceived: UInt64 = 0

    public init() {}

    /// Applies one input and returns the action to execute.
    public mutating func handle(_ input: Input) -> Action {
        switch (state, input) {
        case (.closed, _):
            return .none

        case (.open, .receivedMessage(let opcode, let payload)):
            return .deliver(opcode: opcode, payload: payload)
        case (.open, .receivedMessagePart(let part)):
            return .deliverPart(part)
        case (.closeSent, .receivedMessage), (.closeReceived, .receivedMessage),
             (.closeSent, .receivedMessagePart), (.closeReceived, .receivedMessagePart):
            // §1.4: after sending a Close the endpoint discards further data (and a peer that
            // sent its Close sends no more).
            return .none

        case (.open, .receivedPing(let payload)):
            // §5.5.2: "Upon receipt of a Ping frame, an endpoint MUST send a Pong frame in
            // response, unless it already received a Close frame." §5.5.3: "A Pong frame sent
            // in response to a Ping frame must have identical "Application data"".
            return .sendPong(payload)
        case (.closeReceived, .receivedPing):
            // §5.5.2: no Pong once a Close was received.
            return .none
        case (.closeSent, .receivedPing):
            // We sent a Close: §5.5.1 "the endpoint ... MUST NOT send any more data frames"
            // and we are only waiting for the peer's Close.
            return .none

        case (_, .receivedPong):
            // §5.5.3: "A response to an unsolicited Pong frame is not expected."
            pongsReceived &+= 1
            return .none

        case (.open, .receivedClose(let code, _)):
            // §5.5.1: "If an endpoint receives a Close frame and did not previously send a
            // Close frame, the endpoint MUST send a Close frame in response. (When sending a
            // Close frame in response, the endpoint typically echos the status code it
            // received.)" — an empty Close is answered with an empty Close.
            state = .closed
            return .sendClose(code: code, reason: "", then: .closeConnection)
        case (.closeSent, .receivedClose), (.closeSent, .receivedCloseReplyingLater):
            // §7.1.2: both Closes exchanged; the server closes TCP first (§7.1.1).
            state = .closed
            return .closeConnection
        case (.open, .receivedCloseReplyingLater(let code)):
            state = .closeReceived
            deferredReplyCode = code
            return .none
        case (.closeReceived, .receivedClose), (.closeReceived, .receivedCloseReplyingLater):
            return .none
        case (.closeReceived, .close), (.closeReceived, .closeTimeout):
            // The backend is done (or out of time): the deferred echo of the peer's code.
            state = .closed
            return .sendClose(code: deferredReplyCode, reason: "", then: .closeConnection)
        case (.closeReceived, .protocolError):
            state = .closed
            return .closeConnection

        case (.open, .protocolError(let error)):
            // §7.1.7 _Fail the WebSocket Connection_: "the endpoint MUST _Close the WebSocket
            // Connection_": we send a Close with the error's code (§7.4.1), then close TCP
            // without waiting. Waiting would hang on peers that already sent their Close (an
            // invalid one is an error too) or that cannot parse what they sent.
            state = .closed
            return .sendClose(code: error.closeCode, reason: error.reason, then: .closeConnection)
        case (.closeSent, .protocolError):
            state = .closed
            return .closeConnection

        case (.open, .close(let code, let reason)):
            // §7.1.2 _Start the WebSocket Closing Handshake_.
            state = .closeSent
            return .sendClose(code: code, reason: reason, then: .awaitPeerClose)
        case (.closeSent, .close):
            return .none

        case (.open, .closeTimeout):
            // A stale timer: nothing was waiting.
            return .none
        case (.closeSent, .closeTimeout):
            // The peer never answered our Close.
            state = .closed
            return .closeConnection

        case (_, .transportEOF):
            // §7.1.4: the peer dropped TCP; there is nobody left to send to.
            state = .closed
            return .closeConnection
        }
    }

    /// Feeds a streamer output in (a convenience around `handle(_:)`).
    public mutating func handle(_ event: WebSocketStreamEvent) -> Action {
        switch event {
        case .part(let part): handle(.receivedMessagePart(part))
        case .control(let control): handle(control)
        }
    }

    /// Feeds an assembler output in (a convenience around `handle(_:)`).
    public mutating func handle(_ event: WebSocketMessageEvent) -> Action {
        switch event {
        case .message(let opcode, let payload): handle(.receivedMessage(opcode: opcode, payload: payload))
        case .ping(let payload): handle(.receivedPing(payload))
        case .pong(let payload): handle(.receivedPong(payload))
        case .close(let code, let reason): handle(.receivedClose(code: code, reason: reason))
        }
    }
}
