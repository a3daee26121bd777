import Testing
import WSGateHTTP
import WSGateWebSocket

@Suite(.timeLimit(.minutes(10))) struct WebSocketHandshakeTests {
    static let sampleKey = "dGhlIHNhbXBsZSBub25jZQ=="

    /// The RFC 6455 §1.2 sample request, with optional extra headers.
    static func request(
        method: String = "GET",
        version: HTTPVersion = .http1_1,
        removing removed: Set<String> = [],
        replacing replaced: [String: String] = [:],
        adding added: [(String, String)] = []
    ) -> HTTPRequestHead {
        let base: [(String, String)] = [
            ("Host", "server.example.com"),
            ("Upgrade", "websocket"),
            ("Connection", "Upgrade"),
            ("Sec-WebSocket-Key", sampleKey),
            ("Origin", "http://example.com"),
            ("Sec-WebSocket-Version", "13"),
        ]
        let pairs = base.filter { !removed.contains($0.0) }.map { ($0.0, replaced[$0.0] ?? $0.1) } + added
        var headers = HTTPHeaders()
        for (name, value) in pairs { headers.add(name: name, value: value) }
        // Every head built here satisfies HTTP's own rules (Host present): the parser refuses
        // the others before the handshake sees them.
        return try! HTTPRequestHead(method: method, target: RequestTarget(parsing: "/chat"), version: version, headers: headers)
    }

    static func accepted(_ head: HTTPRequestHead, policy: WebSocketHandshake.SubprotocolPolicy = .default) -> WebSocketHandshakeAccept? {
        if case .success(let accept) = WebSocketHandshake.validate(head, subprotocolPolicy: policy) { return accept }
        return nil
    }

    static func rejected(_ head: HTTPRequestHead) -> WebSocketHandshakeRejection? {
        if case .failure(let rejection) = WebSocketHandshake.validate(head, subprotocolPolicy: .default) { return rejection }
        return nil
    }

    @Test func rfcSampleKey() {
        #expect(WebSocketHandshake.acceptKey(for: Self.sampleKey) == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func rfcSampleRequestIsAccepted() {
        let accept = Self.accepted(Self.request())
        #expect(accept == WebSocketHandshakeAccept(acceptKey: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", subprotocol: nil))
        let headers = accept?.responseHeaders.map { "\($0.name): \($0.value)" }
        #expect(headers == ["Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="])
    }

    @Test func tokensAreMatchedCaseInsensitivelyInLists() {
        let head = Self.request(replacing: ["Upgrade": "WebSocket", "Connection": "keep-alive, UPGRADE"])
        #expect(Self.accepted(head) != nil)
        let tabs = Self.request(replacing: ["Connection": "keep-alive,\tupgrade "])
        #expect(Self.accepted(tabs) != nil)
    }

    @Test func keyWithSurroundingWhitespaceIsAccepted() {
        let head = Self.request(replacing: ["Sec-WebSocket-Key": " \(Self.sampleKey) "])
        #expect(Self.accepted(head)?.acceptKey == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    // Each failing check and its status.

    @Test(arguments: ["POST", "HEAD", "get", "PUT"])
    func methodOtherThanGETIs400(_ method: String) {
        #expect(Self.rejected(Self.request(method: method))?.status == .badRequest)
    }

    @Test(arguments: [HTTPVersion.http1_0, HTTPVersion(major: 0, minor: 9)])
    func versionBelow11Is400(_ version: HTTPVersion) {
        #expect(Self.rejected(Self.request(version: version))?.status == .badRequest)
    }

    @Test func laterHTTPVersionsAreAccepted() {
        #expect(Self.accepted(Self.request(version: HTTPVersion(major: 1, minor: 2))) != nil)
        #expect(Self.accepted(Self.request(version: HTTPVersion(major: 2, minor: 0))) != nil)
    }

    @Test func missingOrRepeatedHostIs400() {
        // A request without Host never reaches the handshake: the HTTP layer refuses it (400).
        #expect(throws: HTTPParseError.missingHost) {
            try HTTPRequestHead(method: "GET", target: RequestTarget(parsing: "/"), version: .http1_1, headers: HTTPHeaders())
        }
        #expect(HTTPParseError.missingHost.status == .badRequest)
        #expect(throws: HTTPParseError.duplicateHost) {
            try HTTPRequestHead(method: "GET", target: RequestTarget(parsing: "/"), version: .http1_1,
                                headers: ["Host": "a", "host": "b"])
        }
    }

    @Test(arguments: [nil, "h2c", "websocket2", "web socket"] as [String?])
    func upgradeWithoutWebsocketIs400(_ value: String?) {
        let head = value.map { Self.request(replacing: ["Upgrade": $0]) } ?? Self.request(removing: ["Upgrade"])
        #expect(Self.rejected(head)?.status == .badRequest)
    }

    @Test(arguments: [nil, "keep-alive", "upgrades", "close"] as [String?])
    func connectionWithoutUpgradeIs400(_ value: String?) {
        let head = value.map { Self.request(replacing: ["Connection": $0]) } ?? Self.request(removing: ["Connection"])
        #expect(Self.rejected(head)?.status == .badRequest)
    }

    @Test(arguments: [nil, "", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZSE=", "AAAAAAAAAAAAAAAAAAAAAA=", "dGhlIHNhbXBsZSBub25jZQ=x",
                      "dGhlIHNhbXBsZSBub25jZR=="] as [String?])
    func badKeyIs400(_ value: String?) {
        let head = value.map { Self.request(replacing: ["Sec-WebSocket-Key": $0]) } ?? Self.request(removing: ["Sec-WebSocket-Key"])
        #expect(Self.rejected(head)?.status == .badRequest)
    }

    @Test func repeatedKeyIs400() {
        let head = Self.request(adding: [("Sec-WebSocket-Key", Self.sampleKey)])
        #expect(Self.rejected(head)?.status == .badRequest)
    }

    @Test(arguments: [nil, "8", "12", "14", "13, 8", "", "thirteen"] as [String?])
    func unsupportedVersionIs426WithTheSupportedVersion(_ value: String?) {
        let head = value.map { Self.request(replacing: ["Sec-WebSocket-Version": $0]) } ?? Self.request(removing: ["Sec-WebSocket-Version"])
        let rejection = Self.rejected(head)
        #expect(rejection?.status == .upgradeRequired)
        #expect(rejection?.status.code == 426)
        #expect(rejection?.headers.map { "\($0.name): \($0.value)" } == ["Sec-WebSocket-Version: 13"])
    }

    /// The bytes after the head are WebSocket frames: a body announced there would be read
    /// as frames, so a request that announces one is refused.
    @Test(arguments: [
        [("Content-Length", "5")], [("Content-Length", "1, 1")], [("Transfer-Encoding", "chunked")],
        [("Transfer-Encoding", "gzip, chunked")],
    ])
    func aRequestWithABodyIs400(_ added: [(String, String)]) {
        let rejection = Self.rejected(Self.request(adding: added))
        #expect(rejection?.status == .badRequest)
        #expect(rejection?.reason == "the request has a body")
    }

    @Test func anEmptyContentLengthIsNoBody() {
        #expect(Self.accepted(Self.request(adding: [("Content-Length", "0")])) != nil)
    }

    @Test func checksRunInTheRFCsOrder() {
        // A POST without any WebSocket header is refused for the method, not the version.
        let head = try! HTTPRequestHead(method: "POST", target: RequestTarget(parsing: "/"), version: .http1_1,
                                        headers: ["Host": "server.example.com"])
        let rejection = Self.rejected(head)
        #expect(rejection?.status == .badRequest)
        #expect(rejection?.headers.isEmpty == true)
        #expect(rejection?.reason.isEmpty == false)
    }

    @Test func extensionsAreIgnoredWithoutDeflateSettings() {
        let head = Self.request(adding: [("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits")])
        let accept = Self.accepted(head)
        #expect(accept?.deflate == nil)
        #expect(accept?.responseHeaders.contains { $0.name.lowercased() == "sec-websocket-extensions" } == false)
    }

    @Test func deflateSettingsConfirmPermessageDeflateInThe101() throws {
        let head = Self.request(adding: [("Sec-WebSocket-Protocol", "chat"), ("Sec-WebSocket-Extensions", "x-webkit-deflate-frame"),
                                         ("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits")])
        let settings = PerMessageDeflateSettings(serverNoContextTakeover: true, clientMaxWindowBits: 12)
        guard case .success(let accept) = WebSocketHandshake.validate(head, deflate: settings) else {
            Issue.record("refused")
            return
        }
        #expect(accept.deflate?.clientMaxWindowBits == 12)
        #expect(accept.responseHeaders.map { "\($0.name): \($0.value)" } == [
            "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
            "Sec-WebSocket-Protocol: chat",
            "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_max_window_bits=12",
        ])
    }

    @Test(arguments: [nil, "x-webkit-deflate-frame", "permessage-deflate; foo", "permessage-deflate; p=\"open"] as [String?])
    func deflateSettingsWithoutAnAcceptableOfferAddNoExtension(_ value: String?) {
        let head = value.map { Self.request(adding: [("Sec-WebSocket-Extensions", $0)]) } ?? Self.request()
        // A malformed or unacceptable offer is not a reason to refuse the upgrade.
        guard case .success(let accept) = WebSocketHandshake.validate(head, deflate: PerMessageDeflateSettings()) else {
            Issue.record("refused")
            return
        }
        #expect(accept.deflate == nil)
        #expect(accept.responseHeaders.count == 3)
    }

    // Subprotocols.

    @Test func defaultPolicyPrefersBinaryElseTheClientsFirstOffer() {
        #expect(Self.accepted(Self.request(adding: [("Sec-WebSocket-Protocol", "chat, binary")]))?.subprotocol == "binary")
        #expect(Self.accepted(Self.request(adding: [("Sec-WebSocket-Protocol", "chat, superchat")]))?.subprotocol == "chat")
        #expect(Self.accepted(Self.request(adding: [("Sec-WebSocket-Protocol", "chat"), ("Sec-WebSocket-Protocol", "binary")]))?.subprotocol
            == "binary")
        #expect(Self.accepted(Self.request())?.subprotocol == nil)
    }

    @Test func preferredPolicyTakesTheClientsOrder() {
        let head = Self.request(adding: [("Sec-WebSocket-Protocol", "v2.proto, v1.proto")])
        #expect(Self.accepted(head, policy: .preferred(["v1.proto", "v2.proto"]))?.subprotocol == "v2.proto")
        #expect(Self.accepted(head, policy: .preferred(["v1.proto"]))?.subprotocol == "v1.proto")
        #expect(Self.accepted(head, policy: .preferred(["v3.proto"]))?.subprotocol == nil)
        #expect(Self.accepted(head, policy: .preferred([]))?.subprotocol == nil)
        #expect(Self.accepted(Self.request(), policy: .preferred(["v1.proto"]))?.subprotocol == nil)
    }

    @Test func chosenSubprotocolIsInTheResponse() {
        let accept = Self.accepted(Self.request(adding: [("Sec-WebSocket-Protocol", "chat")]))
        #expect(accept?.responseHeaders.last.map { "\($0.name): \($0.value)" } == "Sec-WebSocket-Protocol: chat")
        #expect(accept?.responseHeaders.count == 4)
    }

    @Test func chooseSubprotocolDirectly() {
        #expect(WebSocketHandshake.chooseSubprotocol(offers: [], policy: .default) == nil)
        #expect(WebSocketHandshake.chooseSubprotocol(offers: ["a", "b"], policy: .default) == "a")
        #expect(WebSocketHandshake.chooseSubprotocol(offers: ["a", "binary"], policy: .default) == "binary")
        #expect(WebSocketHandshake.chooseSubprotocol(offers: ["a", "b"], policy: .preferred(["b", "a"])) == "a")
        #expect(WebSocketHandshake.chooseSubprotocol(offers: ["A"], policy: .preferred(["a"])) == nil)
    }
}
