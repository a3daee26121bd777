/// The value of a `Content-Range` field for a byte range (RFC 9110 §14.4): which bytes a 206
/// carries (`bytes 0-499/1234`), or the length a 416 could not satisfy (`bytes */1234`).
///
/// Why it exists: the numbers are inclusive on the wire but `Range<Int>` is half-open, an
/// off-by-one there corrupts every resumed download, and a value must never describe bytes the
/// representation does not have. The initialisers refuse such values, so every `ContentRange`
/// is valid; parsing reads back exactly what `fieldValue` writes. An unknown complete length
/// (`bytes 0-499/*`) is not represented: a file server always knows it.
public struct ContentRange: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The bytes sent, non-empty and within `0..<completeLength`; nil in `bytes */length`.
    public let range: Range<Int>?
    /// The length of the whole representation.
    public let completeLength: Int

    /// `bytes first-last/length`, or nil unless `range` is non-empty and within
    /// `0..<completeLength`.
    public init?(range: Range<Int>, completeLength: Int) {
        guard range.lowerBound >= 0, !range.isEmpty, range.upperBound <= completeLength else { return nil }
        self.range = range
        self.completeLength = completeLength
    }

    /// `bytes */length` (`unsatisfied-range`, sent with a 416), or nil for a negative length.
    public init?(unsatisfiedCompleteLength completeLength: Int) {
        guard completeLength >= 0 else { return nil }
        range = nil
        self.completeLength = completeLength
    }

    /// `Content-Range = range-unit SP ( range-resp / unsatisfied-range )`, with
    /// `range-resp = incl-range "/" complete-length` and `unsatisfied-range = "*/" complete-length`.
    public var fieldValue: String {
        guard let range else { return "\(ByteRangeRequest.bytesUnit) */\(completeLength)" }
        return "\(ByteRangeRequest.bytesUnit) \(range.lowerBound)-\(range.upperBound - 1)/\(completeLength)"
    }

    /// The field value.
    public var description: String { fieldValue }

    /// Reads a byte-range `Content-Range` value; nil if it is not one, if `last-pos` is less
    /// than `first-pos` or not less than the complete length (RFC 9110 §14.4: "invalid"), or
    /// if the complete length is `*`. The unit is case-insensitive; numbers above `Int.max`
    /// refuse the value.
    public init?(parsing text: String) {
        var scanner = FieldValueScanner(text)
        let unit = scanner.take(while: HTTPGrammar.isTokenChar)
        guard HTTPGrammar.equalsIgnoringASCIICase(unit, ByteRangeRequest.bytesUnit.utf8),
              scanner.skip(HTTPGrammar.sp)
        else { return nil }
        if scanner.skip("*/") {
            guard let length = scanner.number(), scanner.isAtEnd else { return nil }
            self.init(unsatisfiedCompleteLength: length)
            return
        }
        guard let first = scanner.number(), scanner.skip(UInt8(ascii: "-")), let last = scanner.number(),
              scanner.skip(HTTPGrammar.slash), let length = scanner.number(), scanner.isAtEnd,
              first <= last, last < length
        else { return nil }
        self.init(range: first..<(last + 1), completeLength: length)
    }
}
