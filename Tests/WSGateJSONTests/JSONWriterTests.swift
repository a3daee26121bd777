import Testing
import WSGateJSON

@Suite(.timeLimit(.minutes(10))) struct JSONWriterTests {
    private func written(_ value: JSONValue) -> String {
        String(decoding: value.jsonText, as: UTF8.self)
    }

    @Test func writesEveryKindOnOneLine() {
        let value = object([("a", .array([.null, .bool(true), .bool(false), number("-1.5e3"), .string("x")])), ("b", object([]))])
        #expect(written(value) == #"{"a":[null,true,false,-1.5e3,"x"],"b":{}}"#)
        #expect(written(.array([])) == "[]")
    }

    @Test func escapesWhatRFC8259Requires() {
        #expect(written(.string("\"\\/")) == #""\"\\/""#)
        #expect(written(.string("\u{8}\u{C}\n\r\t")) == #""\b\f\n\r\t""#)
        #expect(written(.string("\u{0}\u{1}\u{1F}\u{7F}")) == "\"\\u0000\\u0001\\u001f\u{7F}\"")
        #expect(written(.string("caf\u{E9} \u{1D11E} \u{2028}")) == "\"caf\u{E9} \u{1D11E} \u{2028}\"")
        #expect(written(object([("a\nb", .string("c"))])) == #"{"a\nb":"c"}"#)
    }

    @Test func neverWritesARawControlCharacter() throws {
        let every = String(decoding: (0 ..< 128).map { UInt8($0) }, as: UTF8.self)
        let bytes = JSONValue.string(every).jsonText
        #expect(!bytes.contains { $0 < 0x20 })
        #expect(try JSONReader.parse(bytes) == .string(every))
    }

    @Test func replacesIllFormedBytesWithTheReplacementCharacter() {
        var writer = JSONWriter()
        writer.writeString(utf8: [0x61, 0xFF, 0xC3, 0xA9, 0xED, 0xA0, 0x80, 0x0A, 0xE2, 0x82])
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "\"a\u{FFFD}\u{E9}\u{FFFD}\u{FFFD}\u{FFFD}\\n\u{FFFD}\u{FFFD}\"")
        #expect((try? JSONReader.parse(writer.bytes)) != nil)
        var lazy = JSONWriter()
        lazy.writeString(utf8: [0x61, 0x22].lazy.map { $0 })
        #expect(lazy.bytes == Array(#""a\"""#.utf8))
    }

    @Test func writesIntegers() {
        var writer = JSONWriter()
        for value: UInt64 in [0, 7, 10, 1000, UInt64.max] {
            writer.writeInteger(value)
            writer.writeRaw(",")
        }
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "0,7,10,1000,18446744073709551615,")
    }

    @Test func buildsObjectsOnlyWithUniqueNames() {
        #expect(JSONObject([JSONMember(key: "a", value: .null), JSONMember(key: "a", value: .null)]) == nil)
        #expect(JSONObject([JSONMember(key: "\u{E9}", value: .null), JSONMember(key: "e\u{301}", value: .null)]) != nil)
        let many = (0 ..< 20).map { JSONMember(key: "k\($0 % 19)", value: .null) }
        #expect(JSONObject(many) == nil)
    }

    @Test func comparesStringsByTheirBytes() {
        #expect(JSONValue.string("\u{E9}") != .string("e\u{301}"))
        #expect(JSONValue.string("\u{E9}") == .string("\u{E9}"))
        #expect(number("1.0") != number("1"))
    }

    @Test func roundTripsRandomValues() throws {
        var random = SeededRandom(seed: 0x5EED)
        for _ in 0 ..< 2000 {
            let value = random.value(depth: 0)
            let text = value.jsonText
            #expect(!text.contains(0x0A))
            let back = try JSONReader.parse(text)
            #expect(back == value, "\(String(decoding: text, as: UTF8.self))")
            #expect(back.jsonText == text)
        }
    }
}

/// A small deterministic generator of JSON values (xorshift), so a failure reproduces.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    mutating func value(depth: Int) -> JSONValue {
        switch Int.random(in: depth >= 5 ? 0 ..< 5 : 0 ..< 7, using: &self) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &self))
        case 2: return .number(randomNumber())
        case 3, 4: return .string(string())
        case 5: return .array((0 ..< Int.random(in: 0 ..< 5, using: &self)).map { _ in value(depth: depth + 1) })
        default:
            var members: [JSONMember] = []
            for index in 0 ..< Int.random(in: 0 ..< 5, using: &self) {
                members.append(JSONMember(key: string() + "#\(index)", value: value(depth: depth + 1)))
            }
            return .object(JSONObject(members)!)
        }
    }

    private mutating func randomNumber() -> JSONNumber {
        switch Int.random(in: 0 ..< 3, using: &self) {
        case 0: return JSONNumber(Int64(bitPattern: next()))
        case 1: return JSONNumber(next())
        default: return JSONNumber(Double(bitPattern: next())) ?? JSONNumber(0.5)!
        }
    }

    /// Characters from every class: ASCII, controls, quote and backslash, 2-, 3- and 4-byte.
    private mutating func string() -> String {
        let pool: [Unicode.Scalar] = ["a", "Z", " ", "\"", "\\", "/", "\u{0}", "\n", "\u{1F}", "\u{7F}", "\u{E9}", "\u{7FF}",
                                      "\u{800}", "\u{2028}", "\u{FFFD}", "\u{FFFF}", "\u{10000}", "\u{1D11E}", "\u{10FFFF}"]
        var text = ""
        for _ in 0 ..< Int.random(in: 0 ..< 8, using: &self) {
            text.unicodeScalars.append(pool[Int.random(in: 0 ..< pool.count, using: &self)])
        }
        return text
    }
}
