import Testing
@testable import WSGateServer

@Suite(.timeLimit(.minutes(10))) struct OriginPolicyTests {
    // MARK: - As observed with websocketd (docs/behaviour.md, 'Origin')
    // --origin=example.com,https://secure.example:8443

    static let observedList = OriginPolicy(allowed: ["example.com", "https://secure.example:8443"], sameOrigin: false)

    @Test(arguments: [
        ("http://example.com", true),
        ("http://example.com:8080", true),  // no port in the entry: any port
        ("https://example.com:9", true),  // no scheme in the entry: any scheme
        ("http://EXAMPLE.com", true),  // host names compare case-insensitively
        ("https://secure.example:8443", true),
        ("http://secure.example:8443", false),  // observed 403: scheme differs
        ("https://secure.example", false),  // observed 403: port 443 ≠ 8443
        ("null", false),  // observed 403
        ("", false),
        ("http://evil.com", false),
        ("http://example.com.evil.com", false),
        ("http://evilexample.com", false),
        ("http://sub.example.com", false),
        ("example.com", false),  // not an origin: no scheme
        ("http://", false),
        ("http://:80", false),
        ("http://user@example.com", false),
        ("http://example.com:1:2", false),
        ("http://example.com/some/path", true),  // a path after the authority is ignored
    ])
    func observedOriginList(_ origin: String, _ allowed: Bool) {
        #expect(Self.observedList.allows(origin: origin, host: "127.0.0.1:9601") == allowed)
    }

    @Test func missingOriginIsRefusedWhenRestricted() {
        #expect(!Self.observedList.allows(origin: nil, host: "127.0.0.1:9601"))
        #expect(!OriginPolicy(allowed: [], sameOrigin: true).allows(origin: nil, host: "a:1"))
    }

    // MARK: - As observed with websocketd (docs/behaviour.md, 'Origin'): --sameorigin

    @Test(arguments: [
        ("http://127.0.0.1:9602", "127.0.0.1:9602", true),
        ("https://127.0.0.1:9602", "127.0.0.1:9602", true),  // observed: scheme ignored
        ("http://127.0.0.1:9603", "127.0.0.1:9602", false),  // observed 403: other port
        ("http://localhost:9602", "127.0.0.1:9602", false),
        ("http://example.com", "example.com", true),
        ("http://example.com", "EXAMPLE.COM:80", true),
        ("http://example.com:80", "example.com", true),
        ("http://example.com:8080", "example.com", false),
        ("http://example.com", "example.com:8080", false),
        ("https://example.com", "example.com:443", true),
        // Decision: a Host without a port takes the ORIGIN scheme's default port (TLS proxy).
        ("https://example.com", "example.com", true),
        ("https://example.com:80", "example.com", false),
        ("http://[::1]:8080", "[::1]:8080", true),
        ("http://[::1]", "[::1]", true),  // brackets ignored on both sides
        ("http://[::1]:8080", "[::2]:8080", false),
        ("http://example.com", "a:b:c", false),
        ("http://example.com", "", false),
        ("null", "example.com", false),
        ("http://example.com", "example.com:", true),  // empty port = the default
    ])
    func sameOrigin(_ origin: String, _ host: String, _ allowed: Bool) {
        #expect(OriginPolicy(allowed: [], sameOrigin: true).allows(origin: origin, host: host) == allowed)
    }

    @Test func sameOriginWithoutHostHeaderIsRefused() {
        #expect(!OriginPolicy(allowed: [], sameOrigin: true).allows(origin: "http://example.com", host: nil))
    }

    // MARK: - Entry forms

    @Test(arguments: [
        ("example.com:8080", "http://example.com:8080", true),
        ("example.com:8080", "http://example.com", false),
        ("example.com:80", "http://example.com", true),  // explicit 80: only 80
        ("example.com:80", "http://example.com:8080", false),
        ("http://example.com:80", "https://example.com:80", false),
        ("HTTPS://Example.COM", "https://example.com:1234", true),  // scheme, no port: any port
        ("https://example.com", "http://example.com", false),
        ("wss://example.com", "wss://example.com", true),
        ("[::1]", "http://[::1]:9000", true),
        ("[::1]:9000", "http://[::1]:9000", true),
        ("::1", "http://[::1]:9000", false),  // not a valid entry (too many colons)
        ("https://a.example/", "https://a.example", true),  // a path in the entry is ignored
        ("  spaced.example  ", "http://spaced.example", true),  // entries are trimmed
        ("host.example:", "http://host.example:81", true),  // empty port: any port
        ("1http://x.example", "http://x.example", false),  // invalid scheme: entry ignored
        ("://x.example", "http://x.example", false),
        ("", "http://example.com", false),
    ])
    func entryForms(_ entry: String, _ origin: String, _ allowed: Bool) {
        #expect(OriginPolicy(allowed: [entry], sameOrigin: false).allows(origin: origin, host: "h") == allowed)
    }

    @Test func listOfOnlyUnusableEntriesStillRestricts() {
        let policy = OriginPolicy(allowed: ["", " "], sameOrigin: false)
        #expect(policy.isRestricted)
        #expect(!policy.allows(origin: "http://example.com", host: "example.com"))
    }

    @Test func bothChecksMustPass() {
        let policy = OriginPolicy(allowed: ["example.com"], sameOrigin: true)
        #expect(policy.allows(origin: "http://example.com:8080", host: "example.com:8080"))
        #expect(!policy.allows(origin: "http://example.com:8080", host: "example.com:9090"))  // same-origin fails
        #expect(!policy.allows(origin: "http://other.com:8080", host: "other.com:8080"))  // list fails
    }

    // MARK: - Unrestricted

    @Test(arguments: [nil, "", "null", "garbage", "http://anything.example"] as [String?])
    func unrestrictedAllowsEverything(_ origin: String?) {
        let policy = OriginPolicy(allowed: [], sameOrigin: false)
        #expect(!policy.isRestricted)
        #expect(policy.allows(origin: origin, host: nil))
    }

    @Test func isRestricted() {
        #expect(OriginPolicy(allowed: ["a"], sameOrigin: false).isRestricted)
        #expect(OriginPolicy(allowed: [], sameOrigin: true).isRestricted)
    }

    // MARK: - Origin parsing

    @Test(arguments: [
        ("http://example.com", OriginPolicy.Origin(scheme: "http", host: "example.com", port: "80")),
        ("https://example.com", .init(scheme: "https", host: "example.com", port: "443")),
        ("HTTPS://Example.com:8443", .init(scheme: "https", host: "example.com", port: "8443")),
        ("wss://example.com", .init(scheme: "wss", host: "example.com", port: "443")),
        ("chrome-extension://abcdef", .init(scheme: "chrome-extension", host: "abcdef", port: "80")),
        ("http://[2001:db8::1]:8080", .init(scheme: "http", host: "2001:db8::1", port: "8080")),
        ("http://[2001:DB8::1]", .init(scheme: "http", host: "2001:db8::1", port: "80")),
    ])
    func parsesOrigins(_ text: String, _ origin: OriginPolicy.Origin) {
        #expect(OriginPolicy.parseOrigin(text) == origin)
    }

    /// Origins compare as bytes (as websocketd's Go strings do), not as Swift characters,
    /// which merge a combining mark into the character before it.
    @Test func originsCompareAsBytes() {
        let policy = OriginPolicy(allowed: ["\u{E9}.example"], sameOrigin: false)
        #expect(policy.allows(origin: "http://\u{E9}.example", host: nil))
        #expect(!policy.allows(origin: "http://e\u{301}.example", host: nil))
        // "/" followed by a combining mark still ends the authority.
        let good = OriginPolicy(allowed: ["good.example"], sameOrigin: false)
        #expect(good.allows(origin: "http://good.example/\u{317}", host: nil))
        // "@" followed by a combining mark is still user info: refused.
        #expect(OriginPolicy.parseOrigin("http://evil@\u{317}good.example") == nil)
    }
}
