// MARK: - Content-Length (RFC 9110 §8.6), for request heads and CGI output alike

extension HTTPHeaders {
    /// The body length the Content-Length fields announce, nil when there is none.
    ///
    /// RFC 9110 §8.6: "Content-Length = 1*DIGIT"; a list of one repeated value ("42, 42", or the
    /// same value on several lines) MAY be accepted as that value. Anything else (a sign, an
    /// empty element, a number past `Int.max`) throws `invalidContentLength`, and two different
    /// values throw `conflictingContentLength`.
    func contentLength() throws(HTTPParseError) -> Int? {
        var length: Int?
        for value in values(Self.contentLengthName) {
            for element in Substring(value).utf8.split(separator: HTTPGrammar.comma, omittingEmptySubsequences: false) {
                let number = try Self.decimal(HTTPGrammar.trimmingWhitespace(element))
                if let length, length != number { throw .conflictingContentLength }
                length = number
            }
        }
        return length
    }

    /// The field that announces a body length.
    static let contentLengthName = "Content-Length"

    /// `1*DIGIT` as an `Int`, refusing anything else (signs, spaces, overflow).
    private static func decimal(_ digits: Substring.UTF8View) throws(HTTPParseError) -> Int {
        guard !digits.isEmpty else { throw .invalidContentLength }
        var value = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw .invalidContentLength }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { throw .invalidContentLength }
            value = sum
        }
        return value
    }
}
