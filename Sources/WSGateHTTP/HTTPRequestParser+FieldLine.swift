// MARK: - field-line (RFC 9112 §5)

extension HTTPRequestParser {
    /// Parses `field-line = field-name ":" OWS field-value OWS` (CRLF removed).
    static func parseFieldLine(_ line: UnsafeRawBufferPointer) throws(HTTPParseError) -> (name: String, value: String) {
        // RFC 9112 §5.2: "A server that receives an obs-fold in a request message [...] MUST
        // either reject the message by sending a 400 (Bad Request) [...]"; RFC 9112 §2.2:
        // whitespace between the start-line and the first field line MUST be rejected or the
        // line ignored. Both show as a line starting with SP or HTAB: reject.
        if let first = line.first, HTTPGrammar.isWhitespace(first) { throw .obsoleteLineFolding }

        guard let colon = line.firstIndex(of: HTTPGrammar.colon) else { throw .malformedHeaderLine }
        let name = line[..<colon]
        guard let last = name.last else { throw .invalidHeaderName }
        // RFC 9112 §5.1: "No whitespace is allowed between the field name and colon. [...] A
        // server MUST reject, with a response status code of 400 (Bad Request), any received
        // request message that contains whitespace between a header field name and colon."
        if HTTPGrammar.isWhitespace(last) { throw .whitespaceBeforeColon }
        // RFC 9110 §5.1: "field-name = token".
        guard HTTPGrammar.isToken(name) else { throw .invalidHeaderName }

        var start = colon + 1
        var end = line.endIndex
        // RFC 9110 §5.5: "Field values containing CR, LF, or NUL characters are invalid and
        // dangerous"; field-value = *field-content of VCHAR, obs-text, SP and HTAB only.
        for index in start..<end where !HTTPGrammar.isFieldValueByte(line[index]) {
            throw .invalidHeaderValue
        }
        // RFC 9112 §5.1: "A field line value might be preceded and/or followed by optional
        // whitespace (OWS) [...] excluded by parsers when extracting the field line value".
        while start < end, HTTPGrammar.isWhitespace(line[start]) { start += 1 }
        while end > start, HTTPGrammar.isWhitespace(line[end - 1]) { end -= 1 }

        return (String(decoding: name, as: UTF8.self), String(decoding: line[start..<end], as: UTF8.self))
    }
}
