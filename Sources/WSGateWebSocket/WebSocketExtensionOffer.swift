/// One element of a client's `Sec-WebSocket-Extensions` list: an extension name and its
/// parameters, in the order sent (RFC 6455 §9.1).
///
/// Why it exists: an extension's negotiation (e.g. permessage-deflate, RFC 7692) must judge each
/// offer on its parameters alone, so the header syntax is read once, here, and the negotiation
/// sees names and unescaped values only. Names keep the client's spelling; §9.1 does not say
/// whether they are case-sensitive, so `hasName(_:)` and `Parameter.hasName(_:)` compare ASCII
/// case-insensitively (RFC 7692 writes every name in lowercase).
public struct WebSocketExtensionOffer: Hashable, Sendable {
    /// One `extension-param`: `token [ "=" (token | quoted-string) ]`.
    public struct Parameter: Hashable, Sendable {
        public var name: String
        /// The value after quoted-string unescaping, or nil when the parameter has none.
        public var value: String?

        public init(name: String, value: String? = nil) {
            self.name = name
            self.value = value
        }

        /// Whether this parameter is called `name`, ignoring ASCII case.
        public func hasName(_ name: String) -> Bool {
            WebSocketExtensionOffer.equalsIgnoringASCIICase(self.name, name)
        }
    }

    /// The `extension-token`, e.g. `permessage-deflate`.
    public var name: String
    public var parameters: [Parameter]

    public init(name: String, parameters: [Parameter] = []) {
        self.name = name
        self.parameters = parameters
    }

    /// Whether this offer is for the extension called `name`, ignoring ASCII case.
    public func hasName(_ name: String) -> Bool {
        Self.equalsIgnoringASCIICase(self.name, name)
    }

    static func equalsIgnoringASCIICase(_ a: String, _ b: String) -> Bool {
        a.utf8.elementsEqual(b.utf8) { lowercased($0) == lowercased($1) }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}
