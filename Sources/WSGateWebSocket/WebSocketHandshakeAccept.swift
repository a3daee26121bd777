/// A validated opening handshake: what goes into the 101 response (RFC 6455 §4.2.2).
///
/// Why it exists: it carries the outcome of `WebSocketHandshake.validate` to the HTTP layer
/// without tying this layer to how responses are written. The only extension it can confirm is
/// permessage-deflate (RFC 7692), and only when the handshake was given settings for it.
public struct WebSocketHandshakeAccept: Hashable, Sendable {
    /// The `Sec-WebSocket-Accept` value: base64(SHA-1(key + GUID)).
    public var acceptKey: String
    /// The subprotocol chosen from the client's offers, if any.
    public var subprotocol: String?
    /// The permessage-deflate parameters agreed on, or nil when messages are not compressed.
    public var deflate: PerMessageDeflateAgreement?

    public init(acceptKey: String, subprotocol: String?, deflate: PerMessageDeflateAgreement? = nil) {
        self.acceptKey = acceptKey
        self.subprotocol = subprotocol
        self.deflate = deflate
    }

    /// The header lines of the 101 Switching Protocols response (§4.2.2 item 5), in order.
    public var responseHeaders: [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [
            // §4.2.2 5.2: "An |Upgrade| header field with value "websocket"".
            (name: "Upgrade", value: "websocket"),
            // §4.2.2 5.3: "A |Connection| header field with value "Upgrade"".
            (name: "Connection", value: "Upgrade"),
            // §4.2.2 5.4: "A |Sec-WebSocket-Accept| header field".
            (name: "Sec-WebSocket-Accept", value: acceptKey),
        ]
        if let subprotocol {
            // §4.2.2 5.5: "Optionally, a |Sec-WebSocket-Protocol| header field".
            headers.append((name: "Sec-WebSocket-Protocol", value: subprotocol))
        }
        if let deflate {
            // §4.2.2 5.6: "Optionally, a |Sec-WebSocket-Extensions| header field, with a value
            // indicating the extension(s) the server is ready to use."
            headers.append((name: "Sec-WebSocket-Extensions", value: deflate.responseValue))
        }
        return headers
    }
}
