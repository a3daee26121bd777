/// What a `Range` header field asks of a representation of known size, reduced to the three
/// answers a file server gives: the whole representation (200), one part of it (206), or
/// "Range Not Satisfiable" (416).
///
/// Why it exists: range requests are optional (RFC 9110 §14.2, "a server MAY ignore the Range
/// header field"), so the safe answer to anything doubtful is the whole representation; but a
/// request the server does honour must be clamped exactly, and a size or position from the peer
/// must never overflow. The server serves one range at most: several ranges would need a
/// `multipart/byteranges` body (RFC 9110 §14.6), so a request for more than one is answered
/// with the whole representation, which the RFC allows. Only GET has ranges (RFC 9110 §14.2):
/// the caller ignores `Range` on HEAD, and on GET when `If-Range` says so (`ConditionalRequest`).
public enum ByteRangeRequest: Equatable, Hashable, Sendable {
    /// Serve the whole representation (200): no `Range`, a unit other than `bytes`, a value
    /// that is not a valid `ranges-specifier`, a number above `Int.max`, more than one range,
    /// or a suffix range of an empty representation (satisfiable by the RFC, but a 206 could
    /// not describe zero bytes; the whole, empty, representation is the same answer).
    case ignored
    /// Serve these bytes (206): non-empty and within `0..<size`.
    case satisfiable(Range<Int>)
    /// Answer 416 with `Content-Range: bytes */size`: the one range starts at or after the
    /// end (`first-pos >= size`, always so when the size is 0), or is a suffix of length 0.
    case unsatisfiable

    /// Interprets `fieldValue` (the `Range` field; several field lines joined with ", ", see
    /// `HTTPHeaders.combinedValue`) for a representation of `size` bytes (RFC 9110 §14.1.2):
    ///
    /// - `Range = range-unit "=" range-set`; the unit is compared case-insensitively, OWS is
    ///   allowed around the comma-separated `range-spec`s (empty elements are skipped, §5.6.1),
    ///   nowhere else.
    /// - `bytes=a-b` is bytes a through b, b clamped to `size - 1`; `a > b` is invalid (ignored).
    /// - `bytes=a-` is a through the end.
    /// - `bytes=-n` is the last n bytes, the whole representation when n exceeds `size`.
    ///
    /// A negative `size` (no representation) gives `.ignored`. Never traps.
    public init(parsing fieldValue: String?, representationSize size: Int) {
        guard let fieldValue, size >= 0 else { self = .ignored; return }
        var scanner = FieldValueScanner(fieldValue)
        let unit = scanner.take(while: HTTPGrammar.isTokenChar)
        // RFC 9110 §14.2: "An origin server MUST ignore a Range header field that contains a
        // range unit it does not understand"; range units are case-insensitive (§14.1).
        guard HTTPGrammar.equalsIgnoringASCIICase(unit, Self.bytesUnit.utf8), scanner.skip(UInt8(ascii: "=")) else {
            self = .ignored
            return
        }
        var only: Spec?
        while true {
            scanner.skipWhitespace()
            if scanner.isAtEnd { break }
            if scanner.skip(HTTPGrammar.comma) { continue }
            // A second range-spec: more than one range is served as the whole (see above).
            guard only == nil, let spec = Self.rangeSpec(&scanner) else { self = .ignored; return }
            only = spec
            scanner.skipWhitespace()
            guard scanner.isAtEnd || scanner.peek() == HTTPGrammar.comma else { self = .ignored; return }
        }
        // range-set = 1#range-spec: at least one.
        guard let only else { self = .ignored; return }
        self = Self.resolve(only, size: size)
    }

    /// `bytes`, the only range unit (RFC 9110 §14.1.3).
    public static let bytesUnit = "bytes"

    /// The `Content-Range` of the answer (RFC 9110 §14.4): `bytes first-last/size` for a 206,
    /// `bytes */size` for a 416, nil for a whole representation (a 200 carries none). `size`
    /// must be the one this request was parsed with.
    public func contentRange(representationSize size: Int) -> ContentRange? {
        switch self {
        case .ignored: nil
        case .satisfiable(let range): ContentRange(range: range, completeLength: size)
        case .unsatisfiable: ContentRange(unsatisfiedCompleteLength: size)
        }
    }

    /// One syntactically valid `range-spec` of the bytes unit.
    private enum Spec {
        /// `int-range = first-pos "-" [ last-pos ]`.
        case from(Int, through: Int?)
        /// `suffix-range = "-" suffix-length`.
        case suffix(Int)
    }

    /// `int-range / suffix-range` (RFC 9110 §14.1.1); nil for anything else, including an
    /// `other-range` (not a byte range) and numbers too large for an Int.
    private static func rangeSpec(_ scanner: inout FieldValueScanner) -> Spec? {
        let dash = UInt8(ascii: "-")
        if scanner.skip(dash) {
            return scanner.number().map(Spec.suffix)
        }
        guard let first = scanner.number(), scanner.skip(dash) else { return nil }
        guard let next = scanner.peek(), next >= UInt8(ascii: "0"), next <= UInt8(ascii: "9") else {
            return .from(first, through: nil)
        }
        guard let last = scanner.number() else { return nil }
        return .from(first, through: last)
    }

    /// RFC 9110 §14.1.2 and §14.1.1 ("satisfiable") for one spec.
    private static func resolve(_ spec: Spec, size: Int) -> ByteRangeRequest {
        switch spec {
        case .suffix(let length):
            // "A suffix-range is satisfiable if it has a non-zero suffix-length"; "if the
            // selected representation is shorter than the specified suffix-length, the entire
            // representation is used".
            if length == 0 { return .unsatisfiable }
            if size == 0 { return .ignored }
            return .satisfiable(max(0, size - length)..<size)
        case .from(let first, let last):
            // "An int-range is invalid if the last-pos value is present and less than the
            // first-pos": an invalid ranges-specifier, which a server may ignore (§14.2).
            if let last, last < first { return .ignored }
            // "An int-range is satisfiable if the first-pos is less than the current length";
            // a last-pos at or beyond the length means "the remaining bytes".
            guard first < size else { return .unsatisfiable }
            return .satisfiable(first..<(min(last ?? size, size - 1) + 1))
        }
    }
}
