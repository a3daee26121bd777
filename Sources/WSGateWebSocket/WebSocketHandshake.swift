// The only file of this module that imports the HTTP layer: swap the module name here.
public import WSGateHTTP
import WSGateCore

/// Server-side validation of the opening handshake (RFC 6455 §4.2.1) and computation of the
/// response values (§4.2.2).
///
/// Why it exists: it decides, from a parsed request head alone, whether to upgrade, and which
/// status a refusal gets. It does not parse HTTP, write responses or check `Origin` (that is
/// policy, decided by the caller).
public enum WebSocketHandshake {
    /// §1.3 / §4.2.2 5.4: the GUID concatenated to the key before hashing.
    public static let acceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
    /// §4.2.1 6: the only protocol version this server speaks.
    public static let supportedVersion = "13"
    /// §4.2.1 5: the key "when decoded, is 16 bytes in length".
    public static let keyLength = 16

    /// How the server picks one of the subprotocols a client offers (§4.2.2 5.5: "the value
    /// MUST be one of the values the client sent").
    public enum SubprotocolPolicy: Hashable, Sendable {
        /// Choose the first of the client's offers, in the client's order, that is in this
        /// list; if none is, answer without a subprotocol.
        case preferred([String])
        /// Choose `binary` if offered, else the client's first offer (wsgate's default:
        /// websocketd never answers with one, so browser pages that pass protocols cannot
        /// connect to it; docs/behaviour.md, 'Subprotocols').
        case `default`
    }

    /// Checks the request against §4.2.1, in the RFC's order, and computes the 101 values.
    ///
    /// `deflate` nil leaves compression off: `Sec-WebSocket-Extensions` is then ignored and the
    /// response names no extension.
    public static func validate(
        _ head: HTTPRequestHead,
        subprotocolPolicy: SubprotocolPolicy = .default,
        deflate: PerMessageDeflateSettings? = nil
    ) -> Result<WebSocketHandshakeAccept, WebSocketHandshakeRejection> {
        let headers = head.headers
        // 1. "An HTTP/1.1 or higher GET request, including a "Request-URI" [RFC2616]".
        guard head.method == "GET" else {
            return .failure(.badRequest("method \(head.method) is not GET"))
        }
        guard head.version >= HTTPVersion(major: 1, minor: 1) else {
            return .failure(.badRequest("HTTP version below 1.1"))
        }
        // Not in §4.2.1, but the bytes after the head are frames: a body would be read as
        // frames. `Content-Length: 0` announces none.
        guard (head.contentLength ?? 0) == 0, !head.hasChunkedBody else {
            return .failure(.badRequest("the request has a body"))
        }
        // 2. "A |Host| header field containing the server's authority." (RFC 7230 §5.4: a
        //    request with no Host or more than one is answered 400.)
        guard headers.values("Host").count == 1 else {
            return .failure(.badRequest("missing or repeated Host header"))
        }
        // 3. "An |Upgrade| header field containing the value "websocket", treated as an ASCII
        //    case-insensitive value."
        guard headers.containsToken("websocket", in: "Upgrade") else {
            return .failure(.badRequest("Upgrade header does not contain websocket"))
        }
        // 4. "A |Connection| header field that includes the token "Upgrade", treated as an
        //    ASCII case-insensitive value."
        guard headers.containsToken("upgrade", in: "Connection") else {
            return .failure(.badRequest("Connection header does not contain Upgrade"))
        }
        // 5. "A |Sec-WebSocket-Key| header field with a base64-encoded value that, when
        //    decoded, is 16 bytes in length." (§11.3.1: it "MUST NOT appear more than once".)
        let keys = headers.values("Sec-WebSocket-Key")
        guard keys.count == 1 else {
            return .failure(.badRequest("missing or repeated Sec-WebSocket-Key header"))
        }
        let key = trimmed(keys[0])
        guard let decodedKey = Base64.decode(key), decodedKey.count == keyLength else {
            return .failure(.badRequest("Sec-WebSocket-Key is not 16 bytes of base64"))
        }
        // 6. "A |Sec-WebSocket-Version| header field, with a value of 13." §4.4: otherwise
        //    respond with "an appropriate HTTP error code (such as 426 Upgrade Required) and a
        //    |Sec-WebSocket-Version| header field indicating the version(s) the server is
        //    capable of understanding".
        guard headers.tokens("Sec-WebSocket-Version") == [supportedVersion] else {
            return .failure(WebSocketHandshakeRejection(
                status: .upgradeRequired,
                headers: [(name: "Sec-WebSocket-Version", value: supportedVersion)],
                reason: "unsupported Sec-WebSocket-Version"))
        }
        // 7. Origin: policy for the caller.
        // 8. "Optionally, a |Sec-WebSocket-Protocol| header field, with a list of values
        //    indicating which protocols the client would like to speak, ordered by preference."
        let subprotocol = chooseSubprotocol(offers: headers.tokens("Sec-WebSocket-Protocol"), policy: subprotocolPolicy)
        // 9. "Optionally, a |Sec-WebSocket-Extensions| header field, with a list of values
        //    indicating which extensions the client would like to speak." Only permessage-deflate
        //    is known, and only when configured. A malformed list reads as no offers, not as a
        //    refusal (WebSocketExtensionOffer.parse(headerValues:)).
        let agreement = deflate.flatMap { settings in
            PerMessageDeflateNegotiation.negotiate(
                WebSocketExtensionOffer.parse(headerValues: headers.values("Sec-WebSocket-Extensions")), settings: settings)
        }
        return .success(WebSocketHandshakeAccept(acceptKey: acceptKey(for: String(key)), subprotocol: subprotocol,
                                                 deflate: agreement))
    }

    /// §4.2.2 5.4: "concatenate this with the Globally Unique Identifier ... take the SHA-1
    /// hash of this concatenated value ... base64-encoded".
    public static func acceptKey(for key: String) -> String {
        Base64.encode(SHA1.hash((key + acceptGUID).utf8))
    }

    /// Picks the subprotocol to confirm, or nil for none.
    public static func chooseSubprotocol(offers: [String], policy: SubprotocolPolicy) -> String? {
        switch policy {
        case .preferred(let supported):
            return offers.first { supported.contains($0) }
        case .default:
            return offers.contains("binary") ? "binary" : offers.first
        }
    }

    /// Removes the optional whitespace an HTTP parser may leave around a field value.
    private static func trimmed(_ value: String) -> Substring {
        var text = Substring(value)
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}

/// A refused opening handshake: the HTTP error response to send instead of 101.
///
/// It lives in this file (not its own) so this module names the HTTP layer in one file only.
/// The reason is for the server log, not for the client.
public struct WebSocketHandshakeRejection: Error, Sendable {
    public var status: HTTPStatus
    /// Extra response header lines (e.g. `Sec-WebSocket-Version: 13` with a 426, §4.4).
    public var headers: [(name: String, value: String)]
    public var reason: String

    public init(status: HTTPStatus, headers: [(name: String, value: String)] = [], reason: String) {
        self.status = status
        self.headers = headers
        self.reason = reason
    }

    /// §4.2.1: "If the server ... finds that the client handshake does not satisfy the
    /// requirements, the server MUST stop processing the client's handshake and return an
    /// HTTP response with an appropriate error code (such as 400 Bad Request)."
    static func badRequest(_ reason: String) -> WebSocketHandshakeRejection {
        WebSocketHandshakeRejection(status: .badRequest, reason: reason)
    }
}
