import WSGateConfig

extension ResponseHeader {
    /// Reads `--header="Name: value"` as websocketd does: split at the first `:`, the name
    /// canonicalised (`x-custom` → `X-Custom`, Go's `CanonicalMIMEHeaderKey`), the value trimmed.
    /// Refused (exit 2) without a `:`, with a name that is not a token, or with a control
    /// character in the value.
    init(commandLine argument: FlagArgument) throws(CLIError) {
        guard let colon = argument.text.firstIndex(of: ":") else {
            throw argument.rejected("expected \"Name: value\"")
        }
        let name = String(argument.text[..<colon])
        // RFC 9110 §5.1: "field-name = token".
        guard HTTPTokenSyntax.isToken(name) else {
            throw argument.rejected("header name must be an HTTP token (RFC 9110 §5.6.2)")
        }
        // RFC 9110 §5.5: "field-value = *field-content" excludes leading and trailing
        // whitespace; "a recipient of CR, LF, or NUL within a field value MUST either reject
        // the message or replace each of those characters with SP". We reject every control
        // character but HTAB.
        let value = String(argument.text[argument.text.index(after: colon)...])
            .trimmingSpacesAndTabs()
        guard !value.utf8.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) else {
            throw argument.rejected("header value must not contain control characters")
        }
        self.init(name: Self.canonicalName(name), value: value)
    }

    /// Go's `textproto.CanonicalMIMEHeaderKey` for a valid token: upper case at the start and
    /// after each `-`, lower case elsewhere.
    static func canonicalName(_ name: String) -> String {
        var upper = true
        var bytes: [UInt8] = []
        bytes.reserveCapacity(name.utf8.count)
        for byte in name.utf8 {
            if upper, byte >= UInt8(ascii: "a"), byte <= UInt8(ascii: "z") {
                bytes.append(byte - 0x20)
            } else if !upper, byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") {
                bytes.append(byte + 0x20)
            } else {
                bytes.append(byte)
            }
            upper = byte == UInt8(ascii: "-")
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
