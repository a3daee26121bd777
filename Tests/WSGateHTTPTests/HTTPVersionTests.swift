import Testing
import WSGateHTTP

@Test(.timeLimit(.minutes(10))) func versionsPrintAsOnTheWire() {
    #expect(HTTPVersion.http1_1.description == "HTTP/1.1")
    #expect(HTTPVersion.http1_0.description == "HTTP/1.0")
    #expect(HTTPVersion(major: 2, minor: 0).description == "HTTP/2.0")
}

@Test(.timeLimit(.minutes(10))) func versionsCompareByBothDigits() {
    #expect(HTTPVersion(major: 1, minor: 1) == .http1_1)
    #expect(HTTPVersion.http1_0 != .http1_1)
    #expect(HTTPVersion(major: 0, minor: 1) != HTTPVersion(major: 1, minor: 0))
}
