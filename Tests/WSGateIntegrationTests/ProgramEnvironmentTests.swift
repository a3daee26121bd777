import Testing
import WSGateTestSupport

/// The environment a program gets, as `wsgate-testcmd env` prints it: websocketd's CGI set,
/// the `--passenv` variables, and nothing a client can use to fake either.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct ProgramEnvironmentTests {
    static var testcmd: String { Executables.path("wsgate-testcmd") }

    @Test func theEnvironmentIsWebsocketdsCGISet() throws {
        let gateway = try GatewayProcess(["--passenv=PATH,WSGATE_TEST_VAR", Self.testcmd, "env"],
                                         environment: ["PATH=/usr/bin:/bin", "WSGATE_TEST_VAR=passed", "SECRET=hidden"])
        let client = try gateway.openWebSocket(path: "/some/path?x=1&y=%20z", headers: [("X-Custom", "a"), ("X-Custom", "b")])
        let lines = try Transcript.read(from: client).environment()
        #expect(lines["WSGATE_TEST_VAR"] == "passed")
        #expect(lines["SECRET"] == nil)
        #expect(lines["REMOTE_ADDR"] == "127.0.0.1")
        #expect(lines["REQUEST_URI"] == "/some/path?x=1&y=%20z")
        #expect(lines["QUERY_STRING"] == "x=1&y=%20z")
        #expect(lines["PATH_INFO"] == "/some/path")
        #expect(lines["SCRIPT_NAME"] == "/")
        #expect(lines["HTTP_X_CUSTOM"] == "a, b")
        #expect(lines["HTTP_HOST"] == "127.0.0.1")
        #expect(lines["GATEWAY_INTERFACE"] == "websocketd-CGI/0.1")
        #expect(lines["SERVER_SOFTWARE"]?.hasPrefix("wsgate/") == true)
        #expect(lines["AUTH_TYPE"] == "")
        #expect(lines["HOME"] == nil)
    }

    /// `X_Forwarded_For` would merge into the proxy's `X-Forwarded-For`, and `Proxy` would
    /// replace the operator's HTTP_PROXY (httpoxy): both headers are dropped.
    @Test func aClientCannotSpoofForwardedForOrTheProxy() throws {
        let operatorProxy = "http://proxy.operator.example:3128"
        let gateway = try GatewayProcess(["--passenv=PATH,HTTP_PROXY", Self.testcmd, "env"],
                                         environment: ["PATH=/usr/bin:/bin", "HTTP_PROXY=\(operatorProxy)"])
        let client = try gateway.openWebSocket(headers: [
            ("X_Forwarded_For", "6.6.6.6"), ("X-Forwarded-For", "10.0.0.1"), ("Proxy", "http://evil.example:8080"),
        ])
        let variables = try Transcript.read(from: client).environment()
        #expect(variables["HTTP_X_FORWARDED_FOR"] == "10.0.0.1")
        #expect(variables["HTTP_PROXY"] == operatorProxy)
    }
}
