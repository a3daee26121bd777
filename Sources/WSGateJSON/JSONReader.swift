/// Reads one JSON text (RFC 8259 §2) from bytes: one value, optional whitespace around it,
/// nothing after it.
///
/// Why it exists: the room protocol parses each backend output line, which may be anything a
/// buggy or hostile program writes, so the reader is strict and bounded: input length, nesting
/// depth and number length are capped (`JSONLimits`), strings must be well-formed UTF-8 with
/// valid escapes (a lone surrogate is an error), duplicate names are an error, and every
/// refusal is a `JSONParseError` with its byte offset. Recursion is bounded by `maxDepth`.
public enum JSONReader {
    /// The value of the JSON text `bytes`, or why it is not one.
    public static func parse(_ bytes: some Collection<UInt8>, limits: JSONLimits = JSONLimits())
        throws(JSONParseError) -> JSONValue {
        let count = bytes.count
        if count > limits.maxBytes { throw JSONParseError(.tooLong, at: limits.maxBytes) }
        let result: Result<JSONValue, JSONParseError>? = bytes.withContiguousStorageIfAvailable {
            parse(buffer: UnsafeRawBufferPointer($0), limits: limits)
        }
        // Not contiguous: one copy, at most maxBytes long (checked above).
        switch result ?? Array(bytes).withUnsafeBytes({ parse(buffer: $0, limits: limits) }) {
        case .success(let value): return value
        case .failure(let error): throw error
        }
    }

    private static func parse(buffer: UnsafeRawBufferPointer, limits: JSONLimits) -> Result<JSONValue, JSONParseError> {
        var scanner = JSONScanner(bytes: buffer, limits: limits)
        do throws(JSONParseError) {
            scanner.skipWhitespace()
            let value = try scanner.readValue(depth: 0)
            scanner.skipWhitespace()
            if scanner.index < buffer.count { throw JSONParseError(.trailingBytes, at: scanner.index) }
            return .success(value)
        } catch {
            return .failure(error)
        }
    }
}

/// The reader's position in one input and the recursive descent over it.
struct JSONScanner {
    let bytes: UnsafeRawBufferPointer
    let limits: JSONLimits
    var index = 0

    init(bytes: UnsafeRawBufferPointer, limits: JSONLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    /// Skips RFC 8259's whitespace: space, tab, LF, CR.
    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// The byte at the current position, or `unexpectedEnd`.
    func peek() throws(JSONParseError) -> UInt8 {
        guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
        return bytes[index]
    }

    /// One value at the current position (whitespace before it already skipped). `depth` is
    /// the number of containers around it.
    mutating func readValue(depth: Int) throws(JSONParseError) -> JSONValue {
        let byte = try peek()
        switch byte {
        case UInt8(ascii: "{"): return try readObject(depth: depth + 1)
        case UInt8(ascii: "["): return try readArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): try readLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try readLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try readLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0") ... UInt8(ascii: "9"): return .number(try readNumber())
        default: throw JSONParseError(.unexpectedByte(byte), at: index)
        }
    }

    private mutating func readLiteral(_ word: StaticString) throws(JSONParseError) {
        let text = UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for expected in text {
            let byte = try peek()
            guard byte == expected else { throw JSONParseError(.unexpectedByte(byte), at: index) }
            index += 1
        }
    }

    private mutating func readNumber() throws(JSONParseError) -> JSONNumber {
        let start = index
        guard let length = JSONNumberGrammar.length(of: bytes, from: start) else {
            // Malformed, or cut short: a number that runs to the end of the input is unfinished,
            // unless it already broke the grammar with a leading zero.
            var end = start
            while end < bytes.count, Self.isNumberByte(bytes[end]) { end += 1 }
            let truncated = end == bytes.count && !hasLeadingZero(at: start)
            throw JSONParseError(truncated ? .unexpectedEnd : .invalidNumber, at: truncated ? end : start)
        }
        if length > limits.maxNumberBytes { throw JSONParseError(.numberTooLong, at: start + limits.maxNumberBytes) }
        index = start + length
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start ..< index]), as: UTF8.self)
        return JSONNumber(checkedText: text)
    }

    /// Whether the number at `start` has a zero followed by another digit in its integer part.
    private func hasLeadingZero(at start: Int) -> Bool {
        let zero = start < bytes.count && bytes[start] == UInt8(ascii: "-") ? start + 1 : start
        return zero + 1 < bytes.count && bytes[zero] == UInt8(ascii: "0") && JSONNumberGrammar.isDigit(bytes[zero + 1])
    }

    /// Bytes that may appear in a number's text.
    private static func isNumberByte(_ byte: UInt8) -> Bool {
        JSONNumberGrammar.isDigit(byte) || byte == UInt8(ascii: ".") || byte | 0x20 == UInt8(ascii: "e")
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
    }

    private mutating func readArray(depth: Int) throws(JSONParseError) -> JSONValue {
        if depth > limits.maxDepth { throw JSONParseError(.tooDeep, at: index) }
        index += 1  // "["
        var elements: [JSONValue] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try readValue(depth: depth))
            skipWhitespace()
            let byte = try peek()
            index += 1
            if byte == UInt8(ascii: "]") { return .array(elements) }
            guard byte == UInt8(ascii: ",") else { throw JSONParseError(.unexpectedByte(byte), at: index - 1) }
        }
    }

    private mutating func readObject(depth: Int) throws(JSONParseError) -> JSONValue {
        if depth > limits.maxDepth { throw JSONParseError(.tooDeep, at: index) }
        index += 1  // "{"
        var members: [JSONMember] = []
        var names = JSONKeySet()
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            index += 1
            return .object(JSONObject(checkedMembers: members))
        }
        while true {
            skipWhitespace()
            let keyOffset = index
            let byte = try peek()
            guard byte == UInt8(ascii: "\"") else { throw JSONParseError(.unexpectedByte(byte), at: index) }
            let key = try readString()
            guard names.insert(key) else { throw JSONParseError(.duplicateKey, at: keyOffset) }
            skipWhitespace()
            let colon = try peek()
            guard colon == UInt8(ascii: ":") else { throw JSONParseError(.unexpectedByte(colon), at: index) }
            index += 1
            skipWhitespace()
            members.append(JSONMember(key: key, value: try readValue(depth: depth)))
            skipWhitespace()
            let next = try peek()
            index += 1
            if next == UInt8(ascii: "}") { return .object(JSONObject(checkedMembers: members)) }
            guard next == UInt8(ascii: ",") else { throw JSONParseError(.unexpectedByte(next), at: index - 1) }
        }
    }
}
