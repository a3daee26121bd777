import Testing
import WSGateHTTP
@testable import WSGateServer

/// Taking `--auth-*` credentials out of request heads: where each comes from, which one wins,
/// and that what goes on to programs and logs holds none of them.
@Suite(.timeLimit(.minutes(10))) struct OfferedCredentialsTests {
    static func offered(_ target: String, _ headers: [String] = []) throws -> OfferedCredentials {
        let head = try requestHead("GET \(target) HTTP/1.1\r\nHost: h\r\n" + headers.map { $0 + "\r\n" }.joined() + "\r\n")
        return OfferedCredentials(from: head, cookie: "access_token", parameter: "access_token")
    }

    @Test func theAuthorizationHeaderComesFirstAndEveryCredentialIsRemoved() throws {
        let offered = try Self.offered("/a?access_token=q&x=1",
                                       ["Authorization: bearer h.h.h", "Cookie: access_token=c; k=v"])
        #expect(offered.credential == .init(kind: .bearer, value: "h.h.h", source: .header))
        let clean = try #require(offered.head)
        #expect(clean.target == "/a?x=1")
        #expect(!clean.headers.contains("Authorization"))
        #expect(clean.headers.values("Cookie") == ["k=v"])
        #expect(clean.headers.first("Host") == "h")
    }

    @Test func aCookieComesBeforeTheQuery() throws {
        let offered = try Self.offered("/?access_token=q", ["Cookie: a=1;access_token=\"c.c.c\" ; b=2"])
        #expect(offered.credential == .init(kind: .bearer, value: "c.c.c", source: .cookie))
        #expect(offered.head?.headers.values("Cookie") == ["a=1; b=2"])
        #expect(offered.head?.target == "/")
    }

    @Test func aCookieHeaderWithOnlyTheTokenIsDropped() throws {
        let offered = try Self.offered("/", ["Cookie: access_token=c"])
        #expect(offered.credential?.value == "c")
        #expect(offered.head?.headers.contains("Cookie") == false)
    }

    @Test func everyTokenParameterIsRemovedAndTheFirstIsUsed() throws {
        let offered = try Self.offered("/p?access_token=one&keep=1&access_token=two&&access_tokenx=3")
        #expect(offered.credential == .init(kind: .bearer, value: "one", source: .query))
        #expect(offered.head?.query == "keep=1&&access_tokenx=3")
        #expect(offered.head?.path == "/p")
    }

    @Test func basicKeepsTheWholeFieldForItsParser() throws {
        let offered = try Self.offered("/", ["Authorization: Basic Ym9iOnNlY3JldA=="])
        #expect(offered.credential == .init(kind: .basic, value: "Basic Ym9iOnNlY3JldA==", source: .header))
    }

    @Test func anotherSchemeIsNoCredentialButIsStillRemoved() throws {
        let offered = try Self.offered("/", ["Authorization: Digest username=x"])
        #expect(offered.credential == nil)
        #expect(offered.head?.headers.contains("Authorization") == false)
    }

    @Test func disabledPlacesAreNotReadAndLeftAlone() throws {
        let head = try requestHead("GET /?access_token=q HTTP/1.1\r\nHost: h\r\nCookie: access_token=c\r\n\r\n")
        let offered = OfferedCredentials(from: head, cookie: nil, parameter: nil)
        #expect(offered.credential == nil)
        #expect(offered.head?.target == "/?access_token=q")
        #expect(offered.head?.headers.values("Cookie") == ["access_token=c"])
    }
}
