import Testing
import WSGateHTTP

@Suite(.timeLimit(.minutes(10))) struct ForwardedForTests {
    private func hop(_ text: String, _ port: UInt16? = nil) -> ForwardedHop {
        guard let address = IPAddress(text) else { fatalError("not an address: \(text)") }
        return .address(address, port: port)
    }

    @Test func xForwardedForEntries() {
        let hops = ForwardedHeader.xForwardedFor.hops(
            in: "1.2.3.4, [2001:db8::1], 2001:db8::2,1.2.3.4:5678 ,[2001:db8::3]:443,\t10.0.0.1", limit: 32)
        #expect(hops == [hop("1.2.3.4"), hop("2001:db8::1"), hop("2001:db8::2"), hop("1.2.3.4", 5678),
                         hop("2001:db8::3", 443), hop("10.0.0.1")])
    }

    @Test(arguments: ["unknown", "_hidden", "1.2.3.4:99999", "1.2.3.4:", "[2001:db8::1", "[1.2.3.4]", "::1:80:x",
                      "\"1.2.3.4\"", "1.2.3.4 5.6.7.8", "example.com", "[::1]x", "1.2.3.4:-1"])
    func unusableXForwardedForEntries(entry: String) {
        #expect(ForwardedHeader.xForwardedFor.hops(in: entry, limit: 32) == [.unusable])
    }

    @Test func emptyElementsAreSkipped() {
        #expect(ForwardedHeader.xForwardedFor.hops(in: " , 1.2.3.4,, ,5.6.7.8, ", limit: 32) == [hop("1.2.3.4"), hop("5.6.7.8")])
        #expect(ForwardedHeader.xForwardedFor.hops(in: "", limit: 32).isEmpty)
    }

    @Test func onlyTheLastHopsAreKept() {
        let value = (0..<1000).map { "10.0.\($0 / 256).\($0 % 256)" }.joined(separator: ",")
        let hops = ForwardedHeader.xForwardedFor.hops(in: value, limit: 3)
        #expect(hops == [hop("10.0.3.229"), hop("10.0.3.230"), hop("10.0.3.231")])
    }

    @Test func anUnboundedLimitKeepsEverything() {
        let value = String(repeating: "1.1.1.1,", count: 100)
        #expect(ForwardedHeader.xForwardedFor.hops(in: value, limit: .max).count == 100)
        #expect(ForwardedHeader.xForwardedFor.hops(in: value, limit: 0).isEmpty)
    }

    @Test func forwardedExamplesFromRFC7239() {
        let hops = ForwardedHeader.forwarded.hops(
            in: "for=192.0.2.60;proto=http;by=203.0.113.43, for=\"[2001:db8:cafe::17]:4711\", For=\"192.0.2.43:47011\"",
            limit: 32)
        #expect(hops == [hop("192.0.2.60"), hop("2001:db8:cafe::17", 4711), hop("192.0.2.43", 47011)])
    }

    @Test func forwardedQuotingAndSpacing() {
        let hops = ForwardedHeader.forwarded.hops(
            in: "proto=https; for=\"1.2.3.4\" ;host=\"a,b;c\", ;;for=5.6.7.8;, for=\"[::1]:_port\", for=\"1\\.2.3.4\"", limit: 32)
        #expect(hops == [hop("1.2.3.4"), hop("5.6.7.8"), hop("::1"), hop("1.2.3.4")])
    }

    @Test(arguments: [
        "for=unknown", "for=_hidden", "for=\"_gazonk\"", "proto=http", "for=[2001:db8::1]", "for=\"2001:db8::1\"",
        "for=1.2.3.4:80", "for=1.2.3.4;for=5.6.7.8", "for=1.2.3.4;FOR=5.6.7.8", "for=\"1.2.3.4", "for=", "for",
        "=1.2.3.4", "for=1.2.3.4 proto=http", "for=\"\"", "for=\"1.2.3.4\u{1}\"", "for=1.2.3.4;by=a;by=b",
    ])
    func unusableForwardedElements(element: String) {
        #expect(ForwardedHeader.forwarded.hops(in: element, limit: 32) == [.unusable])
    }

    @Test func aCommaInsideQuotesDoesNotSplit() {
        #expect(ForwardedHeader.forwarded.hops(in: "for=\"1.2.3.4,5.6.7.8\"", limit: 32) == [.unusable])
        #expect(ForwardedHeader.forwarded.hops(in: "x=\"\\\",\", for=9.9.9.9", limit: 32) == [.unusable, hop("9.9.9.9")])
        #expect(ForwardedHeader.xForwardedFor.hops(in: "\"1.2.3.4,5.6.7.8\"", limit: 32) == [.unusable, .unusable])
    }
}
