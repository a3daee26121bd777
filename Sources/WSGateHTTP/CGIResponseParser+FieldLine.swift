// MARK: - One header line of CGI output (RFC 3875 §6.3)

extension CGIResponseParser {
    /// Parses `generic-field = field-name ":" [ field-value ] NL` (line end removed), returning
    /// the value without its leading and trailing SP and HTAB.
    static func parseFieldLine(_ line: UnsafeRawBufferPointer) throws(CGIResponseError) -> (name: String, value: String) {
        // RFC 3875 §6.3: "each header field in a CGI-Response MUST be specified on a single
        // line; CGI/1.1 does not support continuation lines".
        if let first = line.first, HTTPGrammar.isWhitespace(first) { throw .obsoleteLineFolding }
        // field-name = token; "Whitespace is permitted between the ":" and the field-value (but
        // not between the field-name and the ":")".
        guard let colon = line.firstIndex(of: HTTPGrammar.colon), HTTPGrammar.isToken(line[..<colon]) else {
            throw .malformedLine(excerpt: CGIResponseError.excerpt(line))
        }
        let name = String(decoding: line[..<colon], as: UTF8.self)
        var start = colon + 1
        var end = line.endIndex
        // RFC 9110 §5.5: "Field values containing CR, LF, or NUL characters are invalid and
        // dangerous"; the response carries SP, HTAB, VCHAR and obs-text only.
        for index in start..<end where !HTTPGrammar.isFieldValueByte(line[index]) {
            throw .invalidFieldValue(name: name)
        }
        while start < end, HTTPGrammar.isWhitespace(line[start]) { start += 1 }
        while end > start, HTTPGrammar.isWhitespace(line[end - 1]) { end -= 1 }
        return (name, String(decoding: line[start..<end], as: UTF8.self))
    }
}
