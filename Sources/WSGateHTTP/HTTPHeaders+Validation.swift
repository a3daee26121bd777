// MARK: - Checking fields the server itself writes

extension HTTPHeaders {
    /// Whether `name` is a valid field-name: `field-name = token` (RFC 9110 §5.1, §5.6.2).
    ///
    /// For the server to vet configured extra headers at start-up; `HTTPResponseHead` skips
    /// fields whose name fails this test.
    public static func isValidName(_ name: String) -> Bool {
        HTTPGrammar.isToken(name.utf8)
    }

    /// Whether `value` is a valid field-value: SP, HTAB, VCHAR and obs-text only, without
    /// leading or trailing whitespace (RFC 9110 §5.5).
    public static func isValidValue(_ value: String) -> Bool {
        let bytes = value.utf8
        guard bytes.allSatisfy(HTTPGrammar.isFieldValueByte) else { return false }
        guard let first = bytes.first, let last = bytes.last else { return true }
        return !HTTPGrammar.isWhitespace(first) && !HTTPGrammar.isWhitespace(last)
    }
}
