import Glibc
import Testing
import WSGateTestSupport
import WSGateWebSocket

/// `--broadcast` through the real binary: rooms by path (query ignored), no cross-talk, join,
/// leave and order, the room program's environment, the backend ending mid-room, the last
/// client ending the program (no zombie), `--maxrooms` 429 and SIGTERM's 1001 in every room.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct RoomTests {
    static var testcmd: String { Executables.path("wsgate-testcmd") }

    /// The programs wsgate runs now (its children).
    static func programs(_ gateway: GatewayProcess) -> [Int32] {
        ProcessTable.children(of: gateway.process.pid).map(\.pid)
    }

    @Test func clientsOfOnePathShareOneProgramAndRoomsDoNotMix() throws {
        let gateway = try GatewayProcess(["--broadcast", Self.testcmd, "echo"])
        let a1 = try gateway.openWebSocket(path: "/a?x=1")
        let a2 = try gateway.openWebSocket(path: "/a?y=2")
        let b1 = try gateway.openWebSocket(path: "/b")
        try a1.send(FrameBytes.text("hello a"))
        #expect(try a1.readMessage().text == "hello a")
        #expect(try a2.readMessage().text == "hello a")
        try b1.send(FrameBytes.text("hello b"))
        #expect(try b1.readMessage().text == "hello b")
        #expect(Self.programs(gateway).count == 2, "one program per room")
        // Order: a2's message follows a1's for everyone; b1 saw nothing of room /a.
        try a2.send(FrameBytes.text("second"))
        #expect(try a1.readMessage().text == "second")
        #expect(try a2.readMessage().text == "second")
        try b1.send(FrameBytes.text("b again"))
        #expect(try b1.readMessage().text == "b again")
        // A late joiner gets what is said after it joined; a leaver does not stop the room.
        let a3 = try gateway.openWebSocket(path: "/a")
        try a1.send(FrameBytes.close(code: 1000))
        #expect(try a1.readFrame().closeCode == 1000)
        try a3.send(FrameBytes.text("third"))
        #expect(try a2.readMessage().text == "third")
        #expect(try a3.readMessage().text == "third")
    }

    /// The room program sees the path's CGI environment without the client's variables.
    @Test func theRoomProgramHasTheRoomsEnvironment() throws {
        let gateway = try GatewayProcess(["--broadcast", Self.testcmd, "env"])
        let client = try gateway.openWebSocket(path: "/lobby?secret=1", headers: [("Cookie", "id=42")])
        var names: [String: String] = [:]
        while true {
            let frame = try client.readMessage()
            if frame.opcode == .close { break }
            let text = frame.text
            let name = String(text.prefix { $0 != "=" })
            names[name] = String(text.dropFirst(name.count + 1))
        }
        #expect(names["WSGATE_ROOM"] == "/lobby")
        #expect(names["PATH_INFO"] != nil && names["SERVER_SOFTWARE"] != nil)
        for absent in ["REMOTE_ADDR", "REMOTE_PORT", "REMOTE_HOST", "UNIQUE_ID", "QUERY_STRING", "REQUEST_URI",
                       "HTTP_COOKIE", "HTTP_HOST", "SERVER_NAME"] {
            #expect(names[absent] == nil, "\(absent) is the client's")
        }
    }

    /// The program exits while two clients are in the room: both get its last line, then 1011
    /// with the exit status.
    @Test func aProgramThatDiesClosesEveryClientWith1011() throws {
        let gateway = try GatewayProcess(["--broadcast", "/bin/sh", "-c", "read line; echo \"bye $line\"; exit 3"])
        let first = try gateway.openWebSocket(path: "/r")
        let second = try gateway.openWebSocket(path: "/r")
        try first.send(FrameBytes.text("now"))
        for client in [first, second] {
            #expect(try client.readMessage().text == "bye now")
            let close = try client.readFrame()
            #expect(close.closeCode == 1011)
            #expect(String(decoding: close.payload.dropFirst(2), as: UTF8.self) == "exit status 3")
        }
        try gateway.process.waitForOutputLine(containing: "Backend failed (exit status 3); closing 2 client(s) with 1011")
    }

    /// The last client leaving ends the program (the kill sequence), which is reaped.
    @Test func theLastClientLeavingEndsTheProgram() throws {
        let gateway = try GatewayProcess(["--broadcast", Self.testcmd, "signals"])
        let first = try gateway.openWebSocket(path: "/r")
        #expect(try first.readMessage().text == "ready")
        let second = try gateway.openWebSocket(path: "/r")
        let pids = Self.programs(gateway)
        try #require(pids.count == 1)
        try first.send(FrameBytes.close(code: 1000))
        #expect(try first.readFrame().closeCode == 1000)
        try second.send(FrameBytes.text("still here"))
        #expect(ProcessTable.isRunning(pids[0]), "one client is left")
        second.close()
        try gateway.process.waitForOutputLine(containing: "Room closed: signal 9")
        #expect(!ProcessTable.isRunning(pids[0]))
        #expect(ProcessTable.zombieChildren(of: gateway.process.pid).isEmpty)
        #expect(Self.programs(gateway).isEmpty)
    }

    /// --room-linger: a client that comes back within the linger finds the same program; an
    /// empty lingering room ends at once on SIGTERM, and wsgate waits for its program.
    @Test func aLingeringRoomKeepsItsProgramAndEndsOnSigterm() throws {
        let gateway = try GatewayProcess(["--broadcast", "--room-linger=600000", Self.testcmd, "pgid"])
        let first = try gateway.openWebSocket(path: "/l")
        let announced = try first.readMessage().text  // then an "fds …" line
        try first.send(FrameBytes.close(code: 1000))
        var reply = try first.readFrame()
        while reply.opcode != .close { reply = try first.readFrame() }
        #expect(reply.closeCode == 1000)
        try gateway.process.waitForOutputLine(containing: "Last client left; ending the backend in 600000 ms")
        let pids = Self.programs(gateway)
        #expect(pids.count == 1)
        let second = try gateway.openWebSocket(path: "/l")
        try gateway.process.waitForOutputLine(containing: "A client joined; the backend keeps running")
        try second.send(FrameBytes.text("same program"))
        // The program's "fds …" line reaches this client too when the program was slow to
        // write it (a loaded machine): the echo is the first other line.
        var echoed = try second.readMessage().text
        while echoed.hasPrefix("fds ") { echoed = try second.readMessage().text }
        #expect(echoed == "same program")
        #expect(Self.programs(gateway) == pids, "\(announced): not started again")
        second.close()
        try gateway.process.waitForOutputLines(containing: "Last client left", count: 2)
        gateway.process.send(signal: SIGTERM)
        #expect(try gateway.process.waitForExit() == 0)
        for pid in pids { #expect(!ProcessTable.isRunning(pid)) }
        #expect(gateway.process.standardOutput.contains("Room closed"))
    }

    @Test func maxRoomsRefusesANewRoomWith429() throws {
        let gateway = try GatewayProcess(["--broadcast", "--maxrooms=1", Self.testcmd, "echo"])
        let member = try gateway.openWebSocket(path: "/a")
        let refused = try gateway.connect()
        #expect(try refused.upgrade(path: "/b").status == 429)
        try gateway.process.waitForOutputLine(containing: "Max of rooms (1) already open, upgrade rejected")
        let second = try gateway.openWebSocket(path: "/a")
        try second.send(FrameBytes.text("in"))
        #expect(try member.readMessage().text == "in")
    }

    @Test func roomFlagsNeedBroadcast() throws {
        let process = try ChildProcess(path: Executables.path("wsgate"), arguments: ["--maxrooms=3", Self.testcmd, "echo"])
        #expect(try process.waitForExit() == 1)
        #expect(process.standardError.contains("--maxrooms only applies to rooms: add --broadcast."))
    }

    /// SIGTERM: every client of every room gets 1001; the programs end and wsgate exits 0.
    @Test func sigtermClosesEveryRoomWith1001() throws {
        let gateway = try GatewayProcess(["--broadcast", Self.testcmd, "echo"])
        let clients = try ["/a", "/a", "/b"].map { try gateway.openWebSocket(path: $0) }
        let pids = Self.programs(gateway)
        #expect(pids.count == 2)
        gateway.process.send(signal: SIGTERM)
        for client in clients {
            let close = try client.readFrame()
            #expect(close.closeCode == 1001)
            try client.send(FrameBytes.close(code: 1001))
        }
        #expect(try gateway.process.waitForExit() == 0)
        for pid in pids { #expect(!ProcessTable.isRunning(pid)) }
    }
}
