import Testing
import WSGateTestSupport
import WSGateWebSocket

/// `--broadcast --room-protocol=json` through the real binary: the whiteboard example's server
/// (events in, commands out: to everyone, to one client, close one), and a backend's bad output
/// line skipped with a log line while the room goes on.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct JSONRoomTests {
    static let whiteboard = Executables.packageRoot + "/examples/whiteboard.py"
    static let stroke = ##"{"x0":0.1,"y0":0.2,"x1":0.3,"y1":0.4,"color":"#d62728","width":3}"##

    @Test func theWhiteboardSharesStrokesGreetsNewcomersAndClosesABadClient() throws {
        let gateway = try GatewayProcess(["--broadcast", "--room-protocol=json", "/usr/bin/python3", Self.whiteboard])
        let alice = try gateway.openWebSocket(path: "/lobby")
        #expect(try alice.readMessage().text == #"{"board":[]}"#)
        #expect(try alice.readMessage().text == #"{"people":1}"#)
        let bob = try gateway.openWebSocket(path: "/lobby")
        #expect(try bob.readMessage().text == #"{"board":[]}"#, "the board goes to the newcomer only")
        for client in [alice, bob] { #expect(try client.readMessage().text == #"{"people":2}"#) }

        try alice.send(FrameBytes.text(##"{"x0":0.1,"y0":0.2,"x1":0.3,"y1":0.4,"color":"#d62728","width":3.0}"##))
        for client in [alice, bob] { #expect(try client.readMessage().text == Self.stroke) }

        let carol = try gateway.openWebSocket(path: "/lobby")
        #expect(try carol.readMessage().text == "{\"board\":[\(Self.stroke)]}")
        for client in [alice, bob, carol] { #expect(try client.readMessage().text == #"{"people":3}"#) }

        try bob.send(FrameBytes.text("not a stroke"))
        let close = try bob.readFrame()
        #expect(close.closeCode == 4000)
        #expect(String(decoding: close.payload.dropFirst(2), as: UTF8.self) == "not a stroke")
        try bob.send(FrameBytes.close(code: 4000))
        for client in [alice, carol] { #expect(try client.readMessage().text == #"{"people":2}"#) }
    }

    @Test func aBadOutputLineIsLoggedAndSkipped() throws {
        let gateway = try GatewayProcess(["--broadcast", "--room-protocol=json", "/bin/sh", "-c",
                                          #"read join; echo '{"to":"all","data":"x"}'; echo '{"data":"still here"}'; cat >/dev/null"#])
        let client = try gateway.openWebSocket(path: "/r")
        #expect(try client.readMessage().text == "still here")
        let line = try gateway.process.waitForOutputLine(containing: "Backend output line skipped")
        #expect(line.contains("room:'/r'"))
    }
}
