import Glibc
import Testing
import WSGateTestSupport
import WSGateWebSocket

/// examples/chat-server.py (a line-based TCP service) behind each gateway, driven the way
/// examples/chat.html drives it: browser pages send strings (text messages).
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread, .websockifyInstalled, .enabled(if: access("/usr/bin/python3", X_OK) == 0, "python3 is not installed"))
struct ComparisonChatExampleTests {
    /// Starts the chat server on a free loopback port and waits for its "chat server on" line.
    static func startChatServer() throws -> (ChildProcess, Int) {
        let port = try ReferenceGateway.freeLoopbackPort()
        let server = try ChildProcess(path: "/usr/bin/python3",
                                      arguments: [Executables.packageRoot + "/examples/chat-server.py", String(port)])
        try server.waitForOutputLine(containing: "chat server on 127.0.0.1:\(port)")
        return (server, port)
    }

    /// A chat client: the next text message, which must be `expected`.
    static func expect(_ client: TestClient, _ expected: String, _ who: String) throws {
        let message = try client.readMessage()
        #expect(message.opcode == .text, "\(who): \(message)")
        #expect(message.text == expected, "\(who)")
    }

    /// Line mode (docs/behaviour.md, 'Line framing') with the README's chat command
    /// (`wsgate --port=8080 --tcp=127.0.0.1:9000`): two clients join as alice and bob, bob says
    /// "hi" (a text message, as the page sends it), then leaves. Every line arrives as one text
    /// message: the prompt, the welcome, the join notice, "bob: hi" to both, the leave notice.
    @Test func theChatExampleWorksThroughWsgateInLineMode() throws {
        let (chat, port) = try Self.startChatServer()
        defer { chat.send(signal: SIGTERM) }
        let gateway = try GatewayProcess(["--tcp=127.0.0.1:\(port)"])
        let alice = try gateway.openWebSocket()
        try Self.expect(alice, "nick?", "alice")
        try alice.send(FrameBytes.text("alice"))
        try Self.expect(alice, "* welcome, alice: 1 online", "alice")
        let bob = try gateway.openWebSocket()
        try Self.expect(bob, "nick?", "bob")
        try bob.send(FrameBytes.text("bob"))
        try Self.expect(bob, "* welcome, bob: 2 online", "bob")
        try Self.expect(alice, "* bob joined", "alice")
        try bob.send(FrameBytes.text("hi"))
        try Self.expect(alice, "bob: hi", "alice")
        try Self.expect(bob, "bob: hi", "bob")
        try bob.send(FrameBytes.close(code: 1000))
        #expect(try bob.readFrame().closeCode == 1000)
        try Self.expect(alice, "* bob left", "alice")
    }

    /// The same page through websockify (text frames close 1003: docs/behaviour.md, 'Byte mode';
    /// websockify #365, #592): the prompt comes as a binary message with its "\n" (a page gets a
    /// Blob), and the page's first text message, the nick, ends the session with 1003. A chat page
    /// written for wsgate cannot talk through websockify without a text→binary shim; wsgate's line
    /// mode is what makes the service usable from a plain page.
    @Test func betterTheChatPageIsRefusedByWebsockifyWhoOnlyTakesBinary() throws {
        let (chat, port) = try Self.startChatServer()
        defer { chat.send(signal: SIGTERM) }
        let server = try GatewayServer(.websockify, target: .tcp(port: port))
        let alice = try server.openWebSocket()
        let prompt = try alice.readMessage()
        #expect(prompt.opcode == .binary)
        #expect(prompt.text == "nick?\n")
        try alice.send(FrameBytes.text("alice"))
        let transcript = try Transcript.read(from: alice)
        #expect(transcript == Transcript(
                                         ending: .closeFrame(code: 1003, reason: "Unsupported: Text frames are not supported")))
    }
}
