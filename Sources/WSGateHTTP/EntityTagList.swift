/// The value of `If-None-Match` or `If-Match`: `"*"` or a comma-separated list of entity tags
/// (RFC 9110 §13.1.1, §13.1.2).
///
/// Why it exists: a cache revalidates with every tag it holds (`If-None-Match: "a", W/"b"`), and
/// `*` means "any current representation", so matching is a question about the list as a
/// whole, asked with the comparison the field requires.
public enum EntityTagList: Equatable, Hashable, Sendable {
    /// `*`: matches any current representation.
    case any
    /// The listed tags, in order (maybe none: `#entity-tag` allows an empty list).
    case tags([EntityTag])

    /// Reads `"*" / #entity-tag`: OWS around commas, empty elements skipped (RFC 9110 §5.6.1).
    /// Nil when any element is not an entity tag (`xyz` unquoted, `w/"x"`, a `*` inside a
    /// list): the caller decides what an unreadable precondition means.
    public init?(parsing text: String) {
        var scanner = FieldValueScanner(text)
        if scanner.skip(UInt8(ascii: "*")) {
            guard scanner.isAtEnd else { return nil }
            self = .any
            return
        }
        var tags: [EntityTag] = []
        while true {
            scanner.skipWhitespace()
            if scanner.isAtEnd { break }
            if scanner.skip(HTTPGrammar.comma) { continue }
            guard let tag = EntityTag.entityTag(&scanner) else { return nil }
            tags.append(tag)
            scanner.skipWhitespace()
            guard scanner.isAtEnd || scanner.peek() == HTTPGrammar.comma else { return nil }
        }
        self = .tags(tags)
    }

    /// Whether `tag` (the current representation's) is matched by the weak comparison, as
    /// `If-None-Match` evaluates (RFC 9110 §13.1.2): `*` matches any tag.
    public func matchesWeakly(_ tag: EntityTag) -> Bool {
        switch self {
        case .any: true
        case .tags(let tags): tags.contains { $0.matchesWeakly(tag) }
        }
    }

    /// Whether `tag` is matched by the strong comparison, as `If-Match` evaluates (RFC 9110
    /// §13.1.1): `*` matches any tag; a weak tag on either side never matches.
    public func matchesStrongly(_ tag: EntityTag) -> Bool {
        switch self {
        case .any: true
        case .tags(let tags): tags.contains { $0.matchesStrongly(tag) }
        }
    }

    /// `*` or the tags joined with ", ".
    public var fieldValue: String {
        switch self {
        case .any: "*"
        case .tags(let tags): tags.map(\.fieldValue).joined(separator: ", ")
        }
    }
}
