import Testing
@testable import WSGateBackends

/// The Server target carries its own copy of `HostPortSplitter` (the pure targets may not
/// depend on each other); this pins it to Go's `net.SplitHostPort`, like the Backends tests.
@Suite(.timeLimit(.minutes(10))) struct HostPortSplitterTests {
    @Test(arguments: [
        ("example.com:8080", HostPortSplitter.Outcome.split(host: "example.com", port: "8080")),
        ("[::1]:8080", .split(host: "::1", port: "8080")),
        ("host:", .split(host: "host", port: "")),
        (":80", .split(host: "", port: "80")),
        ("example.com", .missingPort),
        ("[::1]", .missingPort),
        ("[::1]x", .missingPort),
        ("[a]b]:80", .missingPort),
        ("", .missingPort),
        ("a:b:c", .invalid),
        ("::1", .invalid),
        ("[::1", .invalid),
        ("[::1]:x:y", .invalid),
        ("a]:80", .invalid),
        ("a[b:80", .invalid),
    ])
    func splitsLikeGo(_ text: String, _ outcome: HostPortSplitter.Outcome) {
        #expect(HostPortSplitter.split(text) == outcome)
    }
}
