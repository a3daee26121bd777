/// Finds the elements of a comma-separated forwarding header, keeping only the right-most ones.
///
/// Why it exists: the client is found by walking from the right, and at most a fixed number of
/// hops is ever looked at, so a long header (16 KiB of `a,a,a…` from a client that a trusted
/// proxy appended to) costs one linear scan and a bounded list, not one value per entry.
/// Empty elements are skipped: RFC 9110 §5.6.1, "a recipient MUST accept empty list elements
/// [...] and ignore them". With `quoting`, a comma inside a quoted-string (RFC 9110 §5.6.4,
/// with its `\` escapes) does not split, as `Forwarded` values may be quoted.
enum ForwardedListSplitter {
    /// The OWS-trimmed, non-empty elements of `value`, left to right: only the last `limit`.
    static func lastElements(of value: [UInt8], limit: Int, quoting: Bool) -> [ArraySlice<UInt8>] {
        guard limit > 0 else { return [] }
        var elements: [ArraySlice<UInt8>] = []
        var start = 0
        var inQuotes = false
        var escaped = false
        for index in value.indices {
            let byte = value[index]
            if escaped {
                escaped = false
            } else if inQuotes {
                if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inQuotes = false }
            } else if quoting, byte == UInt8(ascii: "\"") {
                inQuotes = true
            } else if byte == HTTPGrammar.comma {
                append(trimmed(value[start..<index]), to: &elements, limit: limit)
                start = index + 1
            }
        }
        append(trimmed(value[start...]), to: &elements, limit: limit)
        return Array(elements.suffix(limit))
    }

    /// Appends a non-empty element, dropping the oldest half once twice `limit` are held.
    private static func append(_ element: ArraySlice<UInt8>, to elements: inout [ArraySlice<UInt8>], limit: Int) {
        guard !element.isEmpty else { return }
        if elements.count / 2 >= limit { elements.removeFirst(elements.count - limit) }
        elements.append(element)
    }

    /// `element` without leading and trailing SP and HTAB.
    static func trimmed(_ element: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = element
        while let first = slice.first, HTTPGrammar.isWhitespace(first) { slice.removeFirst() }
        while let last = slice.last, HTTPGrammar.isWhitespace(last) { slice.removeLast() }
        return slice
    }
}
