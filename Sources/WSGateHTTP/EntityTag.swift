/// An entity tag: the opaque validator of a representation, `"xyz"` or weak `W/"xyz"`
/// (RFC 9110 §8.8.3).
///
/// Why it exists: `ETag`, `If-None-Match`, `If-Match` and `If-Range` all carry entity tags, and
/// the two comparisons differ in a way that matters: `If-None-Match` (a cache revalidating)
/// uses the weak comparison, `If-Range` and `If-Match` the strong one, where a weak tag never
/// matches (RFC 9110 §8.8.3.2). Every value is valid: the opaque part holds only `etagc` bytes.
/// Tags compare octet by octet, never by Unicode equivalence (`String`'s `==`): equality,
/// hashing and both comparisons look at the UTF-8 bytes.
public struct EntityTag: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The characters between the quotes, without them.
    public let opaqueTag: String
    /// Whether the tag is weak (`W/` prefix): equivalent content, not identical bytes.
    public let isWeak: Bool

    /// A tag with `opaqueTag` between the quotes, or nil unless every byte is an `etagc`
    /// (`%x21 / %x23-7E / obs-text`: visible, no DQUOTE, no space).
    public init?(opaqueTag: String, isWeak: Bool = false) {
        guard opaqueTag.utf8.allSatisfy(Self.isEntityTagChar) else { return nil }
        self.opaqueTag = opaqueTag
        self.isWeak = isWeak
    }

    /// Reads one `entity-tag = [ weak ] opaque-tag`, `weak = %s"W/"`, `opaque-tag = DQUOTE
    /// *etagc DQUOTE` (surrounding OWS allowed); nil for anything else (the `W` is
    /// case-sensitive).
    public init?(parsing text: String) {
        var scanner = FieldValueScanner(text)
        guard let tag = Self.entityTag(&scanner), scanner.isAtEnd else { return nil }
        self = tag
    }

    /// `"xyz"` or `W/"xyz"`, as sent in `ETag`.
    public var fieldValue: String {
        (isWeak ? "W/\"" : "\"") + opaqueTag + "\""
    }

    /// The field value.
    public var description: String { fieldValue }

    /// Same weakness, same opaque bytes.
    public static func == (lhs: EntityTag, rhs: EntityTag) -> Bool {
        lhs.isWeak == rhs.isWeak && lhs.hasSameOpaqueTag(as: rhs)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(isWeak)
        hasher.combine(opaqueTag.utf8.count)
        for byte in opaqueTag.utf8 { hasher.combine(byte) }
    }

    /// Strong comparison (RFC 9110 §8.8.3.2): neither tag is weak and the opaque parts are
    /// identical. For `If-Match` and `If-Range`.
    public func matchesStrongly(_ other: EntityTag) -> Bool {
        !isWeak && !other.isWeak && hasSameOpaqueTag(as: other)
    }

    /// Weak comparison (RFC 9110 §8.8.3.2): the opaque parts are identical, either or both tags
    /// may be weak. For `If-None-Match`.
    public func matchesWeakly(_ other: EntityTag) -> Bool {
        hasSameOpaqueTag(as: other)
    }

    /// RFC 9110 §8.8.3.2: "their opaque-tags match character-by-character", as octets.
    private func hasSameOpaqueTag(as other: EntityTag) -> Bool {
        opaqueTag.utf8.elementsEqual(other.opaqueTag.utf8)
    }

    /// `etagc = %x21 / %x23-7E / obs-text` (RFC 9110 §8.8.3).
    static func isEntityTagChar(_ byte: UInt8) -> Bool {
        byte == 0x21 || (byte >= 0x23 && byte != 0x7F)
    }

    /// Consumes one `entity-tag`, or returns nil (having consumed an unspecified amount).
    static func entityTag(_ scanner: inout FieldValueScanner) -> EntityTag? {
        let quote = UInt8(ascii: "\"")
        let isWeak = scanner.skip("W/")
        guard scanner.skip(quote) else { return nil }
        let opaque = scanner.take(while: isEntityTagChar)
        guard scanner.skip(quote) else { return nil }
        return EntityTag(validOpaqueTag: String(decoding: opaque, as: UTF8.self), isWeak: isWeak)
    }

    /// A tag whose opaque part the caller has checked to be `etagc` bytes only.
    init(validOpaqueTag: String, isWeak: Bool) {
        opaqueTag = validOpaqueTag
        self.isWeak = isWeak
    }
}
