import Testing
import WSGateHTTP

struct TargetCase: Sendable, CustomTestStringConvertible {
    let raw: String
    let form: RequestTarget.Form
    let scheme: String?
    let authority: String?
    let path: String
    let query: String
    var testDescription: String { raw }
}

@Test(.timeLimit(.minutes(10)), arguments: [
    TargetCase(raw: "/", form: .origin, scheme: nil, authority: nil, path: "/", query: ""),
    TargetCase(raw: "/chat", form: .origin, scheme: nil, authority: nil, path: "/chat", query: ""),
    TargetCase(raw: "/chat?", form: .origin, scheme: nil, authority: nil, path: "/chat", query: ""),
    TargetCase(raw: "/chat?a=1&b=%20x", form: .origin, scheme: nil, authority: nil, path: "/chat", query: "a=1&b=%20x"),
    TargetCase(raw: "/a%2Fb?x?y=/z", form: .origin, scheme: nil, authority: nil, path: "/a%2Fb", query: "x?y=/z"),
    TargetCase(raw: "//double/../dots", form: .origin, scheme: nil, authority: nil, path: "//double/../dots", query: ""),
    TargetCase(raw: "/?only", form: .origin, scheme: nil, authority: nil, path: "/", query: "only"),
    TargetCase(raw: "http://host/p?q", form: .absolute, scheme: "http", authority: "host", path: "/p", query: "q"),
    TargetCase(raw: "HTTPS://Host:443/a/b", form: .absolute, scheme: "https", authority: "Host:443", path: "/a/b", query: ""),
    TargetCase(raw: "ws://localhost:8080", form: .absolute, scheme: "ws", authority: "localhost:8080", path: "/", query: ""),
    TargetCase(raw: "wss://h?x=1", form: .absolute, scheme: "wss", authority: "h", path: "/", query: "x=1"),
    TargetCase(raw: "http://[::1]:80/v6", form: .absolute, scheme: "http", authority: "[::1]:80", path: "/v6", query: ""),
])
func targetsSplitIntoPathAndRawQuery(_ testCase: TargetCase) throws {
    let target = try RequestTarget(parsing: testCase.raw)
    #expect(target.raw == testCase.raw)
    #expect(target.form == testCase.form)
    #expect(target.scheme == testCase.scheme)
    #expect(target.authority == testCase.authority)
    #expect(target.path == testCase.path)
    #expect(target.query == testCase.query)
}

@Test(.timeLimit(.minutes(10)), arguments: [
    "", "*", "chat", "example.com:443", "ftp://h/", "http:/h/", "http://", "http:///p", "http://?q",
    "http://u@h/", "/a b", "/a\tb", "/a#f", "/caf\u{E9}", "/a\u{7F}", "/a\u{0}", "mailto:x@y", "ws:/x",
])
func invalidTargetsAreRefused(_ raw: String) {
    #expect(throws: HTTPParseError.invalidTarget) { try RequestTarget(parsing: raw) }
}
