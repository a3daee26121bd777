import Testing
import WSGateCore
import WSGateWebSocket

@Suite(.timeLimit(.minutes(10))) struct WebSocketStateMachineTests {
    typealias Machine = WebSocketStateMachine
    typealias State = WebSocketStateMachine.State

    /// A machine brought into `state` through the public inputs.
    static func machine(in state: State) -> Machine {
        var machine = Machine()
        switch state {
        case .open: break
        case .closeSent: _ = machine.handle(.close(code: .normalClosure, reason: "done"))
        case .closeReceived: _ = machine.handle(.receivedCloseReplyingLater(code: WebSocketCloseCode(rawValue: 4002)))
        case .closed: _ = machine.handle(.transportEOF)
        }
        #expect(machine.state == state)
        return machine
    }

    static let inputs: [(String, Machine.Input)] = [
        ("message", .receivedMessage(opcode: .text, payload: buf("m"))),
        ("ping", .receivedPing(buf("p"))),
        ("pong", .receivedPong(buf("q"))),
        ("close with code", .receivedClose(code: WebSocketCloseCode(rawValue: 4001), reason: "bye")),
        ("empty close", .receivedClose(code: nil, reason: "")),
        ("close, reply later", .receivedCloseReplyingLater(code: WebSocketCloseCode(rawValue: 4003))),
        ("protocol error", .protocolError(.invalidUTF8)),
        ("local close", .close(code: .goingAway, reason: "shutdown")),
        ("close timeout", .closeTimeout),
        ("transport EOF", .transportEOF),
    ]

    /// (state, input name) → (action, next state), for every pair.
    static let table: [(State, String, Machine.Action, State)] = [
        (.open, "message", .deliver(opcode: .text, payload: buf("m")), .open),
        (.open, "ping", .sendPong(buf("p")), .open),
        (.open, "pong", .none, .open),
        (.open, "close with code", .sendClose(code: WebSocketCloseCode(rawValue: 4001), reason: "", then: .closeConnection), .closed),
        (.open, "empty close", .sendClose(code: nil, reason: "", then: .closeConnection), .closed),
        (.open, "close, reply later", .none, .closeReceived),
        (.open, "protocol error", .sendClose(code: .invalidFramePayloadData, reason: "invalid UTF-8 in text", then: .closeConnection), .closed),
        (.open, "local close", .sendClose(code: .goingAway, reason: "shutdown", then: .awaitPeerClose), .closeSent),
        (.open, "close timeout", .none, .open),
        (.open, "transport EOF", .closeConnection, .closed),

        (.closeSent, "message", .none, .closeSent),
        (.closeSent, "ping", .none, .closeSent),
        (.closeSent, "pong", .none, .closeSent),
        (.closeSent, "close with code", .closeConnection, .closed),
        (.closeSent, "empty close", .closeConnection, .closed),
        (.closeSent, "close, reply later", .closeConnection, .closed),
        (.closeSent, "protocol error", .closeConnection, .closed),
        (.closeSent, "local close", .none, .closeSent),
        (.closeSent, "close timeout", .closeConnection, .closed),
        (.closeSent, "transport EOF", .closeConnection, .closed),

        // The peer's Close came and the reply waits for the backend: data can still be sent,
        // nothing the peer sends matters, and the reply echoes the code the peer sent (4002).
        (.closeReceived, "message", .none, .closeReceived),
        (.closeReceived, "ping", .none, .closeReceived),
        (.closeReceived, "pong", .none, .closeReceived),
        (.closeReceived, "close with code", .none, .closeReceived),
        (.closeReceived, "empty close", .none, .closeReceived),
        (.closeReceived, "close, reply later", .none, .closeReceived),
        (.closeReceived, "protocol error", .closeConnection, .closed),
        (.closeReceived, "local close", .sendClose(code: WebSocketCloseCode(rawValue: 4002), reason: "", then: .closeConnection), .closed),
        (.closeReceived, "close timeout", .sendClose(code: WebSocketCloseCode(rawValue: 4002), reason: "", then: .closeConnection), .closed),
        (.closeReceived, "transport EOF", .closeConnection, .closed),

        (.closed, "message", .none, .closed),
        (.closed, "ping", .none, .closed),
        (.closed, "pong", .none, .closed),
        (.closed, "close with code", .none, .closed),
        (.closed, "empty close", .none, .closed),
        (.closed, "close, reply later", .none, .closed),
        (.closed, "protocol error", .none, .closed),
        (.closed, "local close", .none, .closed),
        (.closed, "close timeout", .none, .closed),
        (.closed, "transport EOF", .none, .closed),
    ]

    @Test func tableCoversEveryPair() {
        #expect(Self.table.count == 4 * Self.inputs.count)
        for state in [State.open, .closeSent, .closeReceived, .closed] {
            for (name, _) in Self.inputs {
                #expect(Self.table.contains { $0.0 == state && $0.1 == name }, "\(state) × \(name)")
            }
        }
    }

    @Test(arguments: table.indices)
    func transition(_ index: Int) {
        let (state, name, action, next) = Self.table[index]
        let input = Self.inputs.first { $0.0 == name }!.1
        var machine = Self.machine(in: state)
        #expect(machine.handle(input) == action, "\(state) × \(name)")
        #expect(machine.state == next, "\(state) × \(name)")
    }

    @Test func pongsAreCountedWhileOpenOrClosing() {
        var machine = Machine()
        _ = machine.handle(.receivedPong(buf([])))
        _ = machine.handle(.receivedPong(buf([])))
        #expect(machine.pongsReceived == 2)
        _ = machine.handle(.close(code: .normalClosure, reason: ""))
        _ = machine.handle(.receivedPong(buf([])))
        #expect(machine.pongsReceived == 3)
        _ = machine.handle(.transportEOF)
        _ = machine.handle(.receivedPong(buf([])))
        #expect(machine.pongsReceived == 3)
    }

    @Test func messageEventsMapToInputs() {
        var machine = Machine()
        #expect(machine.handle(WebSocketMessageEvent.message(opcode: .binary, payload: buf([1])))
            == .deliver(opcode: .binary, payload: buf([1])))
        #expect(machine.handle(WebSocketMessageEvent.ping(buf([2]))) == .sendPong(buf([2])))
        #expect(machine.handle(WebSocketMessageEvent.pong(buf([3]))) == .none)
        #expect(machine.handle(WebSocketMessageEvent.close(code: .normalClosure, reason: "x"))
            == .sendClose(code: .normalClosure, reason: "", then: .closeConnection))
        #expect(machine.state == .closed)
    }

    /// The full server-initiated close: we send Close, the peer answers, we drop TCP.
    @Test func serverInitiatedCloseHandshake() {
        var machine = Machine()
        #expect(machine.handle(.close(code: .normalClosure, reason: "backend exited"))
            == .sendClose(code: .normalClosure, reason: "backend exited", then: .awaitPeerClose))
        #expect(machine.handle(.receivedMessage(opcode: .text, payload: buf("late"))) == .none)
        #expect(machine.handle(.receivedClose(code: .normalClosure, reason: "")) == .closeConnection)
        #expect(machine.state == .closed)
    }
}
