import Glibc
import Testing
import WSGateTestSupport
import WSGateWebSocket

/// Rooms with the other backends: one `--tcp` connection per room, `--dir` scripts per path.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct RoomBackendKindTests {
    /// Two clients of one path share one TCP connection; another path opens another; the
    /// last client leaving closes it.
    @Test func aSocketRoomSharesOneConnection() throws {
        let backend = try TCPTestBackend(.lineEcho)
        defer { backend.stop() }
        let gateway = try GatewayProcess(["--broadcast", backend.gatewayArgument])
        let first = try gateway.openWebSocket(path: "/t")
        let second = try gateway.openWebSocket(path: "/t")
        try first.send(FrameBytes.text("over tcp"))
        #expect(try first.readMessage().text == "over tcp")
        #expect(try second.readMessage().text == "over tcp")
        #expect(backend.acceptedCount == 1)
        let other = try gateway.openWebSocket(path: "/u")
        try other.send(FrameBytes.text("elsewhere"))
        #expect(try other.readMessage().text == "elsewhere")
        #expect(backend.acceptedCount == 2)
        for client in [first, second] {
            try client.send(FrameBytes.close(code: 1000))
            #expect(try client.readFrame().closeCode == 1000)
        }
        _ = try backend.waitForEndOfInput(on: 0)
    }

    /// `--dir`: each path is its own room with its own script; a missing script is a 404.
    @Test func dirScriptsServeTheirOwnPaths() throws {
        let directory = try TemporaryFiles.directory("rooms-dir")
        defer { TemporaryFiles.removeDirectory(directory) }
        try TemporaryFiles.write("#!/bin/sh\nexec cat\n", to: directory + "/chat.sh", mode: 0o755)
        let gateway = try GatewayProcess(["--broadcast", "--dir=" + directory])
        let first = try gateway.openWebSocket(path: "/chat.sh")
        let second = try gateway.openWebSocket(path: "/chat.sh?nick=b")
        try second.send(FrameBytes.text("from b"))
        #expect(try first.readMessage().text == "from b")
        #expect(try second.readMessage().text == "from b")
        let missing = try gateway.connect()
        #expect(try missing.upgrade(path: "/none.sh").status == 404)
    }
}
