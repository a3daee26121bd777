import Testing
import WSGateJSON

@Suite(.timeLimit(.minutes(10))) struct JSONReaderTests {
    @Test func readsLiteralsAndScalarsAtTopLevel() {
        #expect(parse("null") == .null)
        #expect(parse("true") == .bool(true))
        #expect(parse("false") == .bool(false))
        #expect(parse("\"\"") == .string(""))
        #expect(parse("42") == number("42"))
        #expect(parse(" \t\r\n 7 \n\r\t ") == number("7"))
    }

    @Test func readsArraysAndObjectsKeepingMemberOrder() {
        #expect(parse("[]") == .array([]))
        #expect(parse("{}") == object([]))
        #expect(parse("[ 1 , \"a\" , [ ] , { } , null ]") == .array([number("1"), .string("a"), .array([]), object([]), .null]))
        let value = parse("{\"z\":1,\"a\":{\"m\":[true,false]},\"b\":null}")
        #expect(value == object([("z", number("1")), ("a", object([("m", .array([.bool(true), .bool(false)]))])), ("b", .null)]))
        guard case .object(let members)? = value else { Issue.record("not an object"); return }
        #expect(members.members.map(\.key) == ["z", "a", "b"])
        #expect(members["a"] != nil && members["nope"] == nil)
    }

    /// RFC 8259 §13, both examples.
    @Test func readsRFC8259Examples() throws {
        let first = """
            {
              "Image": {
                  "Width":  800,
                  "Height": 600,
                  "Title":  "View from 15th Floor",
                  "Thumbnail": {
                      "Url":    "http://www.example.com/image/481989943",
                      "Height": 125,
                      "Width":  100
                  },
                  "Animated" : false,
                  "IDs": [116, 943, 234, 38793]
                }
            }
            """
        let image = try #require(parse(first))
        guard case .object(let root) = image, case .object(let inner)? = root["Image"] else { Issue.record("shape"); return }
        #expect(inner["Title"] == .string("View from 15th Floor"))
        #expect(inner["IDs"] == .array(["116", "943", "234", "38793"].map(number)))
        #expect(inner["Width"]?.numberValue?.int64Value == 800)
        let second = """
            [
              {
                 "precision": "zip",
                 "Latitude":  37.7668,
                 "Longitude": -122.3959,
                 "Address":   "",
                 "City":      "SAN FRANCISCO",
                 "State":     "CA",
                 "Zip":       "94107",
                 "Country":   "US"
              },
              {
                 "precision": "zip",
                 "Latitude":  37.371991,
                 "Longitude": -122.026020,
                 "Address":   "",
                 "City":      "SUNNYVALE",
                 "State":     "CA",
                 "Zip":       "94085",
                 "Country":   "US"
              }
            ]
            """
        guard case .array(let places)? = parse(second), case .object(let place) = places[1] else { Issue.record("shape"); return }
        #expect(place["Longitude"] == number("-122.026020"))
        #expect(place["Longitude"]?.numberValue?.doubleValue == -122.02602)
        // §13 also shows texts that are only a value.
        #expect(parse("\"Hello world!\"") == .string("Hello world!"))
        #expect(parse("3") == number("3"))
        #expect(parse("true") == .bool(true))
    }

    @Test(arguments: [
        "", " ", "\n", "[", "]", "{", "}", "[1,]", "[,1]", "[1,,2]", "{\"a\":1,}", "{,}", "{\"a\"}", "{\"a\":}",
        "{\"a\" 1}", "{1:2}", "{a:1}", "{'a':1}", "'a'", "[1 2]", "{\"a\":1 \"b\":2}", "nul", "tru", "True", "NULL",
        "NaN", "Infinity", "-Infinity", "undefined", "[1]x", "1 2", "{}{}", "[]]", "\"a\"\"", "/* c */ 1", "1 // c",
        "\u{FEFF}1", "\u{0B}1", "\u{0C}1", "[1\u{A0}]", "@", "\"\\",
    ])
    func refusesMalformedText(_ text: String) {
        #expect(parseError(text) != nil, "accepted \(text.debugDescription)")
    }

    @Test func reportsTheOffsetAndReason() {
        #expect(parseError("") == JSONParseError(.unexpectedEnd, at: 0))
        #expect(parseError("[1,]") == JSONParseError(.unexpectedByte(UInt8(ascii: "]")), at: 3))
        #expect(parseError("{\"a\":1,}") == JSONParseError(.unexpectedByte(UInt8(ascii: "}")), at: 7))
        #expect(parseError("[1] x") == JSONParseError(.trailingBytes, at: 4))
        #expect(parseError("[tru]") == JSONParseError(.unexpectedByte(UInt8(ascii: "]")), at: 4))
        #expect(parseError("{\"a\":1,\"a\":2}") == JSONParseError(.duplicateKey, at: 7))
        #expect(parseError("[1,2") == JSONParseError(.unexpectedEnd, at: 4))
        #expect(parseError("{\"k\":1}x")?.description == "bytes after the value at byte 7")
        #expect(parseError("[\u{1}]")?.description == "unexpected byte 0x1 at byte 1")
    }

    @Test func refusesEveryProperPrefixOfValidTexts() {
        let texts = [
            "{\"a\":[1,-2.5e+3,true,false,null,\"x\\u00e9\\uD834\\uDD1E\\n\"],\"b\":{}}",
            "[\"caf\u{E9} \u{1D11E}\",0,{\"\":[]}]", "-0.0E-0", "\"\\\"\"", "[[[]]]",
        ]
        for text in texts {
            let bytes = Array(text.utf8)
            #expect(parseError(bytes) == nil, "\(text) is valid")
            for length in 0 ..< bytes.count {
                let prefix = Array(bytes[..<length])
                // "-0.0E-0" cut after "-0.0" or "-0" is itself a valid number.
                if text.hasPrefix("-0"), ["-0", "-0.0"].contains(String(decoding: prefix, as: UTF8.self)) { continue }
                #expect(parseError(prefix) != nil, "prefix \(length) of \(text)")
            }
        }
    }

    @Test func refusesDuplicateKeysComparedByBytes() {
        #expect(parseError("{\"a\":1,\"b\":2,\"a\":3}")?.reason == .duplicateKey)
        #expect(parseError("{\"\\u0061\":1,\"a\":2}")?.reason == .duplicateKey)  // the same name, escaped
        // Canonically equivalent but different bytes: two names.
        #expect(parse("{\"\u{E9}\":1,\"e\u{301}\":2}") != nil)
        // Many members: the hashed path.
        let many = (0 ..< 200).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        #expect(parse("{\(many)}") != nil)
        #expect(parseError("{\(many),\"k150\":0}")?.reason == .duplicateKey)
        #expect(parseError("{\(many),\"k150\":0}")?.offset == many.utf8.count + 2)
    }

    @Test func limitsTheDepth() {
        let limits = JSONLimits(maxDepth: 32)
        let ok = String(repeating: "[", count: 32) + String(repeating: "]", count: 32)
        #expect(parse(ok, limits: limits) != nil)
        let deep = String(repeating: "[", count: 33) + String(repeating: "]", count: 33)
        #expect(parseError(deep, limits: limits) == JSONParseError(.tooDeep, at: 32))
        let objects = String(repeating: "{\"a\":", count: 33) + "1" + String(repeating: "}", count: 33)
        #expect(parseError(objects, limits: limits)?.reason == .tooDeep)
        // A bomb far deeper than any stack: refused at the limit, not by a crash.
        let bomb = [UInt8](repeating: UInt8(ascii: "["), count: 1_000_000)
        #expect(parseError(bomb) == JSONParseError(.tooDeep, at: 32))
    }

    @Test func limitsTheInputLength() {
        let text = "[" + String(repeating: "1,", count: 50) + "1]"
        #expect(parse(text, limits: JSONLimits(maxBytes: text.utf8.count)) != nil)
        #expect(parseError(text, limits: JSONLimits(maxBytes: text.utf8.count - 1)) == JSONParseError(.tooLong, at: text.utf8.count - 1))
    }

    @Test func readsNonContiguousCollections() throws {
        let bytes = Array("{\"a\":[1,2]}".utf8)
        let value = try JSONReader.parse(bytes.lazy.map { $0 })
        #expect(value == object([("a", .array([number("1"), number("2")]))]))
        #expect(throws: JSONParseError(.tooLong, at: 3)) { try JSONReader.parse(bytes.lazy.map { $0 }, limits: JSONLimits(maxBytes: 3)) }
    }

    /// A line at the default 1 MiB limit, as wide as it can be: an array of 350,000 zeros, and
    /// an object of 80,000 distinct names (the hashed duplicate check keeps it linear).
    @Test func readsWideLinesAtTheLimit() throws {
        var array: [UInt8] = [UInt8(ascii: "[")]
        while array.count < (1 << 20) - 2 { array += [UInt8(ascii: "0"), UInt8(ascii: ",")] }
        array[array.count - 1] = UInt8(ascii: "]")
        guard case .array(let elements) = try JSONReader.parse(array) else { Issue.record("not an array"); return }
        #expect(elements.count == array.count / 2)
        var object = "{"
        for index in 0 ..< 80_000 { object += "\"\(index)\":0," }
        object.removeLast()
        object += "}"
        guard case .object(let members) = try JSONReader.parse(Array(object.utf8)) else { Issue.record("not an object"); return }
        #expect(members.members.count == 80_000)
    }
}
