import Testing
import WSGatePosix
@testable import WSGateBackends

/// A room program's environment: the path's CGI variables, nothing of any one client, and
/// `WSGATE_ROOM`.
@Suite(.timeLimit(.minutes(10))) struct RoomEnvironmentTests {
    @Test func theRoomsVariablesExactly() {
        let block = CGIEnvironment.buildForRoom(
            room: "/chat room", rawPath: "/chat%20room", scriptName: "/", pathInfo: "/chat room", isHTTPS: true,
            serverSoftware: "wsgate/0.1.0", passedEnvironment: [("PATH", "/usr/bin"), ("REMOTE_ADDR", "spoof")])
        #expect(block.entries == [
            "SERVER_SOFTWARE=wsgate/0.1.0",
            "PATH=/usr/bin",
            "SERVER_PROTOCOL=HTTP/1.1",
            "GATEWAY_INTERFACE=websocketd-CGI/0.1",
            "REQUEST_METHOD=GET",
            "SCRIPT_NAME=/",
            "PATH_INFO=/chat room",
            "PATH_TRANSLATED=/chat room",
            "HTTPS=on",
            "WSGATE_ROOM=/chat room",
        ])
    }
}
