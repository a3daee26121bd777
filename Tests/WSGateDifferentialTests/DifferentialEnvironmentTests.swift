import Testing
import WSGateTestSupport

/// The program's environment ("exactly websocketd's": docs/behaviour.md, 'CGI environment'),
/// compared name by name and value by value.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread, .websocketdInstalled) struct DifferentialEnvironmentTests {
    static func isDigits(_ value: String?) -> Bool {
        guard let value, !value.isEmpty else { return false }
        return value.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// Path + query, a repeated custom header, Origin and X-Forwarded-For. Expected
    /// differences: SERVER_SOFTWARE names the server; HTTP_HOST exists in wsgate only
    /// (websocketd loses it: Go removes Host from the header map); UNIQUE_ID and REMOTE_PORT
    /// differ by nature (both decimal). Everything else is identical. SERVER_NAME and
    /// SERVER_PORT come from the Host header (80 when it has no port), hence the three Host
    /// forms.
    @Test(arguments: ["127.0.0.1", "localhost:8123", "[::1]:9000"])
    func theProgramSeesTheSameVariablesWithTheSameValues(host: String) throws {
        let headers = [("X-Custom", "a"), ("X-Custom", "b"), ("Origin", "http://example.com"),
                       ("X-Forwarded-For", "203.0.113.7")]
        let both = try onBoth(command: Peer.testcmd("env")) { server in
            let client = try server.openWebSocket(path: "/some/path?x=1&y=%20z", host: host, headers: headers)
            return try Transcript.read(from: client).environment()
        }
        let reference = both.websocketd
        let candidate = both.wsgate

        // The scenario did what it claims (so equality below means something).
        #expect(reference["HTTP_X_CUSTOM"] == "a, b")
        #expect(reference["QUERY_STRING"] == "x=1&y=%20z")
        #expect(reference["LD_LIBRARY_PATH"] == "/opt/wsgate-differential/lib")
        #expect(reference["WSGATE_DIFFERENTIAL_SECRET"] == nil)

        // Names: wsgate adds HTTP_HOST, nothing else differs.
        let onlyInWsgate = Set(candidate.keys).subtracting(reference.keys)
        let onlyInWebsocketd = Set(reference.keys).subtracting(candidate.keys)
        #expect(onlyInWsgate == ["HTTP_HOST"])
        #expect(onlyInWebsocketd == [])
        #expect(candidate["HTTP_HOST"] == host)

        // Values that differ by design or by nature.
        #expect(reference["SERVER_SOFTWARE"]?.hasPrefix("websocketd/") == true)
        #expect(candidate["SERVER_SOFTWARE"]?.hasPrefix("wsgate/") == true)
        for name in ["UNIQUE_ID", "REMOTE_PORT"] {
            #expect(Self.isDigits(reference[name]), "websocketd \(name)=\(reference[name] ?? "(unset)")")
            #expect(Self.isDigits(candidate[name]), "wsgate \(name)=\(candidate[name] ?? "(unset)")")
        }

        // Every other value is identical (GATEWAY_INTERFACE, SCRIPT_NAME, PATH_INFO,
        // PATH_TRANSLATED, QUERY_STRING, REQUEST_URI, SERVER_NAME, SERVER_PORT, the empty
        // AUTH_TYPE…, every HTTP_*).
        let differing: Set<String> = ["SERVER_SOFTWARE", "UNIQUE_ID", "REMOTE_PORT", "HTTP_HOST"]
        for name in reference.keys.sorted() where !differing.contains(name) {
            #expect(candidate[name] == reference[name],
                    "\(name): websocketd \(reference[name]!.debugDescription), wsgate \(candidate[name]?.debugDescription ?? "(unset)")")
        }
    }

    /// A deliberate difference (README "Programs"): websocketd turns every header into a
    /// variable, so a client's `X_Custom_Id` reaches the program and its `Proxy` header
    /// replaces the operator's `--passenv=HTTP_PROXY` (httpoxy). wsgate drops both headers.
    @Test func headersThatWouldSpoofVariablesReachOnlyWebsocketdsProgram() throws {
        let operatorProxy = "http://proxy.operator.example:3128"
        let both = try onBoth(flags: ["--passenv=PATH,LD_LIBRARY_PATH,HTTP_PROXY"], command: Peer.testcmd("env"),
                              environment: Peer.environment + ["HTTP_PROXY=\(operatorProxy)"]) { server in
            let client = try server.openWebSocket(headers: [("X_Custom_Id", "spoofed"), ("Proxy", "http://evil.example")])
            return try Transcript.read(from: client).environment()
        }
        #expect(both.websocketd["HTTP_X_CUSTOM_ID"] == "spoofed")
        #expect(both.websocketd["HTTP_PROXY"] == "http://evil.example")
        #expect(both.wsgate["HTTP_X_CUSTOM_ID"] == nil)
        #expect(both.wsgate["HTTP_PROXY"] == operatorProxy)
    }
}
