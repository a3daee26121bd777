import Testing
import WSGatePosix
@testable import WSGateBackends

@Suite(.timeLimit(.minutes(10))) struct CGIEnvironmentTests {
    /// A request like the one observed against websocketd 0.4.1 (`websocketd --port=9601 env`;
    /// docs/behaviour.md, 'CGI environment'): path + query, a repeated header, X-Forwarded-For
    /// and an Origin.
    static func observedRequest(isHTTPS: Bool = false, host: String = "127.0.0.1:9601") -> CGIRequest {
        CGIRequest(
            remoteAddress: "127.0.0.1", remoteHost: "127.0.0.1", remotePort: "50314",
            method: "GET", requestURI: "/some/path?x=1&y=%20z", path: "/some/path", query: "x=1&y=%20z",
            scriptName: "/", pathInfo: "/some/path", host: host,
            headers: [
                ("Host", host),
                ("Upgrade", "websocket"),
                ("Connection", "Upgrade"),
                ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
                ("Sec-WebSocket-Version", "13"),
                ("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"),
                ("Origin", "http://example.com"),
                ("X-Custom-Thing", "a"),
                ("Cookie", "session=abc"),
                ("Authorization", "Basic dXNlcjpwYXNz"),
                ("User-Agent", "Python/3.11 websockets/10.4"),
                ("X-Forwarded-For", "10.1.2.3"),
                ("X-Custom-Thing", "b"),
            ],
            isHTTPS: isHTTPS, uniqueID: "1795749103206784967", serverSoftware: "wsgate/0.1.0")
    }

    static let passed: [(name: String, value: String)] = [
        ("PATH", "/usr/local/bin:/usr/bin:/bin"), ("LD_LIBRARY_PATH", "/opt/lib"),
    ]

    @Test func matchesTheObservedWebsocketdEnvironment() {
        // websocketd's observed list, in its emitted order, with the documented differences:
        // SERVER_SOFTWARE is wsgate's, HTTP_HOST is added, and headers keep request order
        // (websocketd: Go map order).
        let expected = [
            "SERVER_SOFTWARE=wsgate/0.1.0",
            "PATH=/usr/local/bin:/usr/bin:/bin",
            "LD_LIBRARY_PATH=/opt/lib",
            "REMOTE_ADDR=127.0.0.1",
            "REMOTE_HOST=127.0.0.1",
            "SERVER_NAME=127.0.0.1",
            "SERVER_PORT=9601",
            "SERVER_PROTOCOL=HTTP/1.1",
            "GATEWAY_INTERFACE=websocketd-CGI/0.1",
            "REQUEST_METHOD=GET",
            "SCRIPT_NAME=/",
            "PATH_INFO=/some/path",
            "PATH_TRANSLATED=/some/path",
            "QUERY_STRING=x=1&y=%20z",
            "AUTH_TYPE=",
            "CONTENT_LENGTH=",
            "CONTENT_TYPE=",
            "REMOTE_IDENT=",
            "REMOTE_USER=",
            "UNIQUE_ID=1795749103206784967",
            "REMOTE_PORT=50314",
            "REQUEST_URI=/some/path?x=1&y=%20z",
            "HTTP_HOST=127.0.0.1:9601",
            "HTTP_UPGRADE=websocket",
            "HTTP_CONNECTION=Upgrade",
            "HTTP_SEC_WEBSOCKET_KEY=dGhlIHNhbXBsZSBub25jZQ==",
            "HTTP_SEC_WEBSOCKET_VERSION=13",
            "HTTP_SEC_WEBSOCKET_EXTENSIONS=permessage-deflate; client_max_window_bits",
            "HTTP_ORIGIN=http://example.com",
            "HTTP_X_CUSTOM_THING=a, b",
            "HTTP_COOKIE=session=abc",
            "HTTP_AUTHORIZATION=Basic dXNlcjpwYXNz",
            "HTTP_USER_AGENT=Python/3.11 websockets/10.4",
            "HTTP_X_FORWARDED_FOR=10.1.2.3",
        ]
        #expect(CGIEnvironment.build(Self.observedRequest(), passedEnvironment: Self.passed).entries == expected)
    }

    @Test func tlsAddsHTTPSAfterRequestURIAndDefaultsThePortTo443() {
        let env = CGIEnvironment.build(Self.observedRequest(isHTTPS: true, host: "example.com"), passedEnvironment: []).entries
        let index = env.firstIndex(of: "HTTPS=on")
        #expect(index != nil)
        #expect(index.map { env[$0 - 1] } == "REQUEST_URI=/some/path?x=1&y=%20z")
        #expect(index.map { env[$0 + 1] } == "HTTP_HOST=example.com")
        #expect(env.contains("SERVER_NAME=example.com"))
        #expect(env.contains("SERVER_PORT=443"))
    }

    /// `--cgidir`: Go's net/http/cgi values in websocketd's order, SCRIPT_FILENAME after
    /// REQUEST_URI, and the body's length and type.
    @Test func aCGIScriptsRequestFillsTheBodyAndScriptVariables() {
        var request = Self.observedRequest()
        request.gatewayInterface = "CGI/1.1"
        request.contentLength = "42"
        request.contentType = "application/x-www-form-urlencoded"
        request.scriptFilename = "/srv/cgi/env.cgi"
        let env = CGIEnvironment.build(request, passedEnvironment: []).entries
        #expect(env.contains("GATEWAY_INTERFACE=CGI/1.1"))
        #expect(env.contains("CONTENT_LENGTH=42"))
        #expect(env.contains("CONTENT_TYPE=application/x-www-form-urlencoded"))
        let index = env.firstIndex(of: "SCRIPT_FILENAME=/srv/cgi/env.cgi")
        #expect(index.map { env[$0 - 1] } == "REQUEST_URI=/some/path?x=1&y=%20z")
        #expect(env.count == 21 + 12)
    }

    @Test func plainConnectionHasNoHTTPSVariable() {
        let env = CGIEnvironment.build(Self.observedRequest(), passedEnvironment: []).entries
        #expect(!env.contains { $0.hasPrefix("HTTPS=") })
        #expect(env.count == 20 + 12)  // websocketd's 20 standard variables + 12 header names
    }

    @Test func unixSocketPeer() {
        var request = Self.observedRequest()
        request.remoteAddress = "unix-socket"
        request.remoteHost = "unix-socket"
        request.remotePort = ""
        let env = CGIEnvironment.build(request, passedEnvironment: []).entries
        #expect(env.contains("REMOTE_ADDR=unix-socket"))
        #expect(env.contains("REMOTE_HOST=unix-socket"))
        #expect(env.contains("REMOTE_PORT="))
    }

    // MARK: - SERVER_NAME / SERVER_PORT from the Host header (Go's net.SplitHostPort)

    @Test(arguments: [
        ("example.com:8080", false, "example.com", "8080"),
        ("[::1]:8080", false, "::1", "8080"),
        ("example.com", false, "example.com", "80"),
        ("example.com", true, "example.com", "443"),
        ("127.0.0.1", false, "127.0.0.1", "80"),
        ("[::1]", false, "[::1]", "80"),  // Go: "missing port", the whole header is the name
        ("", false, "", "80"),  // no Host header
        ("a:b:c", false, "", ""),  // too many colons: both empty
        ("::1", false, "", ""),
        ("host:", false, "host", ""),  // Go does not check the port
        ("host:abc", false, "host", "abc"),
        (":80", false, "", "80"),
        ("[::1", false, "", ""),  // missing "]"
        ("[::1]x", false, "[::1]x", "80"),  // "]" not followed by ":": missing port
        ("[::1]:x:y", false, "", ""),
        ("a]:80", false, "", ""),  // unexpected "]"
        ("a[b:80", false, "", ""),  // unexpected "["
        ("[a]b]:80", false, "[a]b]:80", "80"),  // "]" not followed by ":": Go says missing port
    ])
    func serverNameAndPort(_ host: String, _ tls: Bool, _ name: String, _ port: String) {
        #expect(CGIEnvironment.serverNameAndPort(host: host, isHTTPS: tls) == (name, port))
        let env = CGIEnvironment.build(Self.observedRequest(isHTTPS: tls, host: host), passedEnvironment: []).entries
        #expect(env.contains("SERVER_NAME=\(name)"))
        #expect(env.contains("SERVER_PORT=\(port)"))
    }

    // MARK: - Duplicate names (Go exec: last wins, at its last position)

    @Test func passedVariableOverridesServerSoftwareAtItsOwnPosition() {
        let env = CGIEnvironment.build(Self.observedRequest(), passedEnvironment: [
            ("PATH", "/bin"), ("SERVER_SOFTWARE", "custom/1"),
        ]).entries
        #expect(Array(env.prefix(3)) == ["PATH=/bin", "SERVER_SOFTWARE=custom/1", "REMOTE_ADDR=127.0.0.1"])
        #expect(env.filter { $0.hasPrefix("SERVER_SOFTWARE=") }.count == 1)
    }

    @Test func cgiVariablesOverridePassedOnes() {
        let env = CGIEnvironment.build(Self.observedRequest(), passedEnvironment: [
            ("REMOTE_ADDR", "6.6.6.6"), ("QUERY_STRING", "evil"), ("AUTH_TYPE", "Basic"), ("KEEP", "1"),
        ]).entries
        #expect(env.prefix(3) == ["SERVER_SOFTWARE=wsgate/0.1.0", "KEEP=1", "REMOTE_ADDR=127.0.0.1"])
        #expect(env.filter { $0.hasPrefix("REMOTE_ADDR=") } == ["REMOTE_ADDR=127.0.0.1"])
        #expect(env.filter { $0.hasPrefix("QUERY_STRING=") } == ["QUERY_STRING=x=1&y=%20z"])
        #expect(env.filter { $0.hasPrefix("AUTH_TYPE=") } == ["AUTH_TYPE="])
    }

    @Test func aHeaderNeverReplacesAPassedVariableAndPassedDuplicatesCollapse() {
        var request = Self.observedRequest()
        request.headers = [("Host", "h"), ("X-Api", "from-client")]
        let env = CGIEnvironment.build(request, passedEnvironment: [("HTTP_X_API", "secret"), ("A", "1"), ("A", "2")]).entries
        #expect(env.filter { $0.hasPrefix("HTTP_X_API=") } == ["HTTP_X_API=secret"])
        #expect(env[1] == "HTTP_X_API=secret")
        #expect(env.last == "HTTP_HOST=h")
        #expect(env.filter { $0.hasPrefix("A=") } == ["A=2"])
        #expect(env[2] == "A=2")
    }

    @Test func headerNamesCollideCaseInsensitively() {
        var request = Self.observedRequest()
        request.headers = [("x-foo", "1"), ("Accept", "*/*"), ("X-FOO", "3"), ("accept", "text/plain")]
        let headers = CGIEnvironment.build(request, passedEnvironment: []).entries.filter { $0.hasPrefix("HTTP_") }
        #expect(headers == ["HTTP_X_FOO=1, 3", "HTTP_ACCEPT=*/*, text/plain"])
    }

    /// Only ASCII letters fold: "^" and "~" differ by the case bit but are different names.
    @Test func headerNamesFoldOnlyLetters() {
        var request = Self.observedRequest()
        request.headers = [("X-A^", "1"), ("x-a~", "2")]
        let headers = CGIEnvironment.build(request, passedEnvironment: []).entries.filter { $0.hasPrefix("HTTP_") }
        #expect(headers == ["HTTP_X_A^=1", "HTTP_X_A~=2"])
    }

    @Test func scriptFilenameOverridesAPassedOneOnlyWhenSet() {
        var request = Self.observedRequest()
        let passed = [(name: "SCRIPT_FILENAME", value: "/passed")]
        #expect(CGIEnvironment.build(request, passedEnvironment: passed).entries.filter { $0.hasPrefix("SCRIPT_FILENAME=") }
            == ["SCRIPT_FILENAME=/passed"])
        request.scriptFilename = "/srv/cgi/a.cgi"
        #expect(CGIEnvironment.build(request, passedEnvironment: passed).entries.filter { $0.hasPrefix("SCRIPT_FILENAME=") }
            == ["SCRIPT_FILENAME=/srv/cgi/a.cgi"])
    }

    @Test func emptyHeaderValueIsPresent() {
        var request = Self.observedRequest()
        request.headers = [("X-Empty", ""), ("X-Empty", "")]
        let headers = CGIEnvironment.build(request, passedEnvironment: []).entries.filter { $0.hasPrefix("HTTP_") }
        #expect(headers == ["HTTP_X_EMPTY=, "])
    }

    // MARK: - Spoofing guards (wsgate's, not websocketd's)

    /// Apache and nginx drop them: `X_Forwarded_For` would otherwise merge into, or stand in
    /// for, the proxy's `X-Forwarded-For`.
    @Test func headerNamesWithAnUnderscoreAreDropped() {
        var request = Self.observedRequest()
        request.headers = [("X_Forwarded_For", "6.6.6.6"), ("X-Forwarded-For", "10.0.0.1"), ("x_foo", "1"), ("_", "2")]
        let headers = CGIEnvironment.build(request, passedEnvironment: []).entries.filter { $0.hasPrefix("HTTP_") }
        #expect(headers == ["HTTP_X_FORWARDED_FOR=10.0.0.1"])
    }

    /// httpoxy (CVE-2016-5385): `Proxy:` would become HTTP_PROXY, which HTTP libraries in the
    /// program take as their proxy. Only that exact name goes; `Proxy-Authorization` stays.
    @Test func theProxyHeaderIsDroppedInAnyCase() {
        var request = Self.observedRequest()
        request.headers = [("Proxy", "http://evil.example"), ("PROXY", "http://evil.example"),
                           ("Proxy-Authorization", "Basic eA=="), ("Proxyx", "1")]
        let headers = CGIEnvironment.build(request, passedEnvironment: []).entries.filter { $0.hasPrefix("HTTP_") }
        #expect(headers == ["HTTP_PROXY_AUTHORIZATION=Basic eA==", "HTTP_PROXYX=1"])
    }

    @Test func anOperatorsHTTPProxySurvivesAProxyHeader() {
        var request = Self.observedRequest()
        request.headers = [("Host", "h"), ("Proxy", "http://evil.example")]
        let env = CGIEnvironment.build(request, passedEnvironment: [("HTTP_PROXY", "http://proxy.internal:3128")]).entries
        #expect(env.filter { $0.hasPrefix("HTTP_PROXY=") } == ["HTTP_PROXY=http://proxy.internal:3128"])
        #expect(env[1] == "HTTP_PROXY=http://proxy.internal:3128")
    }

    // MARK: - Sanitising (CR/LF → space, then trimmed)

    @Test(arguments: [
        ("plain", "plain"),
        ("  padded\t", "padded"),
        ("a\r\nb", "a  b"),
        ("\r\nlead", "lead"),
        ("trail\n", "trail"),
        ("in\u{0}side", "in side"),
        ("\u{A0}nbsp\u{3000}", "nbsp"),  // Unicode White_Space, like Go's TrimSpace
        ("\u{85}x\u{2028}", "x"),
        ("a \u{200B}", "a \u{200B}"),  // ZERO WIDTH SPACE is not White_Space
        ("\r\n", ""),
        ("", ""),
    ])
    func sanitises(_ raw: String, _ clean: String) {
        #expect(CGIEnvironment.sanitized(raw) == clean)
    }

    @Test func everyValueIsSanitisedAndRepeatedHeaderValuesOneByOne() {
        var request = Self.observedRequest()
        request.remoteHost = " evil\r\nHOST=x "
        request.headers = [("X-Multi", " a "), ("X-Multi", "b\r\n"), ("X-Multi", "  ")]
        let env = CGIEnvironment.build(request, passedEnvironment: [("P", " p\n")]).entries
        #expect(env.contains("REMOTE_HOST=evil  HOST=x"))
        #expect(env.contains("P=p"))
        #expect(env.contains("HTTP_X_MULTI=a, b, "))
    }

    @Test func unusablePassedNamesAreSkipped() {
        let env = CGIEnvironment.build(Self.observedRequest(), passedEnvironment: [
            ("", "x"), ("A=B", "y"), ("HTTPS", "on"), ("OK", "z"),
        ]).entries
        #expect(!env.contains { $0.hasPrefix("HTTPS=") }, "a plain connection must not claim TLS")
        #expect(env[1] == "OK=z")
        #expect(env[2] == "REMOTE_ADDR=127.0.0.1")
    }

    // MARK: - Paths

    @Test(arguments: [
        ("/some/path", "/some/path"),
        ("/a%20b/c%2Fd", "/a b/c/d"),
        ("/%C3%BC", "/ü"),
        ("/bad%zz/%4", "/bad%zz/%4"),  // malformed escapes kept
        ("/plus+sign", "/plus+sign"),
        ("/%FF", "/\u{FFFD}"),
    ])
    func pathTranslatedIsTheDecodedPath(_ raw: String, _ decoded: String) {
        #expect(CGIRequest.decodedPath(raw) == decoded)
        var request = Self.observedRequest()
        request.path = raw
        #expect(CGIEnvironment.build(request, passedEnvironment: []).entries.contains("PATH_TRANSLATED=\(decoded)"))
    }

    @Test func dirModeNames() {
        var request = Self.observedRequest()
        request.scriptName = "/sub/a.sh"
        request.pathInfo = "/extra/path"
        request.path = "/sub/a.sh/extra/path"
        let env = CGIEnvironment.build(request, passedEnvironment: []).entries
        #expect(env.contains("SCRIPT_NAME=/sub/a.sh"))
        #expect(env.contains("PATH_INFO=/extra/path"))
        #expect(env.contains("PATH_TRANSLATED=/sub/a.sh/extra/path"))
    }

    // MARK: - --passenv

    @Test func passedEnvironmentReadsLikeWebsocketd() {
        let environment = [
            "PATH": "/usr/bin:/bin", "HOME": "/root", "HTTPS": "on", "EMPTY": "", "SPACES": " \t ",
            "CRLF": "a\r\nb ", "LD_LIBRARY_PATH": "/opt/lib",
        ]
        let passed = CGIEnvironment.passedEnvironment(
            names: ["PATH", "HTTPS", "EMPTY", "MISSING", "SPACES", "CRLF", "", "A=B", "HOME", " HOME", "LD_LIBRARY_PATH"],
            from: environment)
        #expect(passed.map(\.name) == ["PATH", "CRLF", "HOME", "LD_LIBRARY_PATH"])
        #expect(passed.map(\.value) == ["/usr/bin:/bin", "a  b", "/root", "/opt/lib"])
    }

    @Test func constants() {
        #expect(CGIEnvironment.gatewayInterface == "websocketd-CGI/0.1")
        #expect(CGIEnvironment.serverProtocol == "HTTP/1.1")
    }

    @Test func requestEquality() {
        var other = Self.observedRequest()
        #expect(other == Self.observedRequest())
        other.headers[7].value = "z"
        #expect(other != Self.observedRequest())
        other = Self.observedRequest()
        other.headers.removeLast()
        #expect(other != Self.observedRequest())
    }
}
