/// The header fields of a request or response, in the order they were received or added.
///
/// Why it exists: HTTP field names are case-insensitive (RFC 9110 §5.1) and a field may occur
/// several times (RFC 9110 §5.3), so a dictionary would either lose repeats or the sender's
/// spelling. This keeps every (name, value) pair exactly as received (names keep their case) and
/// offers the case-insensitive lookups the upgrade logic needs, including the comma-separated
/// token lists of `Connection`, `Upgrade` and `Sec-WebSocket-Protocol`.
///
/// It does not validate: the request parser checks received fields, and `HTTPResponseHead`
/// neutralises unsafe bytes when writing. Equality is exact (same pairs, same order, same
/// spelling).
public struct HTTPHeaders: Sendable, Equatable {
    /// One stored field line.
    private struct Field: Sendable, Equatable {
        var name: String
        var value: String
    }

    private var fields: [Field] = []

    /// No fields.
    public init() {}

    /// Room for `count` fields without growing (an answer knows how many it will add).
    public mutating func reserveCapacity(_ count: Int) {
        fields.reserveCapacity(count)
    }

    /// Appends a field after the existing ones (an existing field of the same name is kept).
    public mutating func add(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// The value of the first field named `name` (any case), or nil.
    public func first(_ name: String) -> String? {
        fields.first { Self.sameName($0.name, name) }?.value
    }

    /// The values of every field named `name` (any case), in order.
    public func values(_ name: String) -> [String] {
        fields.compactMap { Self.sameName($0.name, name) ? $0.value : nil }
    }

    /// How many fields are named `name` (any case).
    public func count(of name: String) -> Int {
        fields.reduce(0) { $0 + (Self.sameName($1.name, name) ? 1 : 0) }
    }

    /// Whether at least one field is named `name` (any case).
    public func contains(_ name: String) -> Bool {
        fields.contains { Self.sameName($0.name, name) }
    }

    /// Whether `token` (any case) is an element of the comma-separated lists in the fields named
    /// `name`, e.g. `containsToken("upgrade", in: "Connection")` for `Connection: keep-alive, Upgrade`.
    public func containsToken(_ token: String, in name: String) -> Bool {
        var found = false
        forEachListElement(of: name) { element in
            if HTTPGrammar.equalsIgnoringASCIICase(element, token.utf8) { found = true }
            return !found
        }
        return found
    }

    /// Every element of the comma-separated lists in the fields named `name`, in order of
    /// appearance across all occurrences, trimmed of OWS, spelled as received; empty elements are
    /// skipped (RFC 9110 §5.6.1). Quoted strings are not interpreted: the lists this gateway
    /// reads (`Connection`, `Upgrade`, `Sec-WebSocket-Protocol`, `Transfer-Encoding`) hold tokens.
    public func tokens(_ name: String) -> [String] {
        var result: [String] = []
        forEachListElement(of: name) { element in
            result.append(String(decoding: element, as: UTF8.self))
            return true
        }
        return result
    }

    /// Calls `body` with each non-empty, OWS-trimmed list element until it returns false.
    ///
    /// RFC 9110 §5.6.1: "a recipient MUST accept empty list elements [...] and ignore them";
    /// RFC 9110 §5.3: several field lines of one name combine into one comma-separated list.
    private func forEachListElement(of name: String, _ body: (Substring.UTF8View) -> Bool) {
        for field in fields where Self.sameName(field.name, name) {
            // Walked by index rather than split into an array: this runs for every upgrade.
            let value = Substring(field.value).utf8
            var start = value.startIndex
            while start < value.endIndex {
                let end = value[start...].firstIndex(of: HTTPGrammar.comma) ?? value.endIndex
                let trimmed = HTTPGrammar.trimmingWhitespace(value[start..<end])
                if !trimmed.isEmpty, !body(trimmed) { return }
                start = end == value.endIndex ? end : value.index(after: end)
            }
        }
    }

    /// RFC 9110 §5.1: "Field names are case-insensitive".
    private static func sameName(_ a: String, _ b: String) -> Bool {
        HTTPGrammar.equalsIgnoringASCIICase(a.utf8, b.utf8)
    }
}

extension HTTPHeaders: RandomAccessCollection {
    public typealias Element = (name: String, value: String)
    public typealias Index = Int

    public var startIndex: Int { fields.startIndex }
    public var endIndex: Int { fields.endIndex }

    /// The field at `position` (in order of arrival).
    public subscript(position: Int) -> (name: String, value: String) {
        let field = fields[position]
        return (field.name, field.value)
    }
}

extension HTTPHeaders: ExpressibleByDictionaryLiteral {
    /// Fields in literal order; a name may repeat (`["Vary": "a", "Vary": "b"]` keeps both).
    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { Field(name: $0.0, value: $0.1) }
    }
}
