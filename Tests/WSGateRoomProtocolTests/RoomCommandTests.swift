import Testing
import WSGateJSON
import WSGateRoomProtocol
import WSGateWebSocket

@Suite(.timeLimit(.minutes(10))) struct RoomCommandTests {
    private func parse(_ text: String) -> Result<RoomCommand, RoomCommandError> {
        RoomCommand.parse(line: Array(text.utf8))
    }

    private func error(_ text: String) -> RoomCommandError? {
        if case .failure(let error) = parse(text) { return error }
        return nil
    }

    private func ids(_ raw: [UInt64]) -> [RoomClientID] { raw.map(RoomClientID.init) }

    @Test func parsesEveryForm() {
        #expect(parse(#"{"data":"hi all"}"#) == .success(.send(.text(Array("hi all".utf8)), to: .everyone)))
        #expect(parse(#"{"binary":"AAEC"}"#) == .success(.send(.binary([0, 1, 2]), to: .everyone)))
        #expect(parse(#"{"to":[3,7],"data":"psst"}"#) == .success(.send(.text(Array("psst".utf8)), to: .clients(ids([3, 7])))))
        #expect(parse(#"{"binary":"","to":[1]}"#) == .success(.send(.binary([]), to: .clients(ids([1])))))
        #expect(parse(#"{"close":7,"code":4000,"reason":"bye"}"#)
            == .success(.close(client: RoomClientID(7), code: WebSocketCloseCode(rawValue: 4000), reason: "bye")))
        #expect(parse(#"{"close":7}"#) == .success(.close(client: RoomClientID(7), code: .normalClosure, reason: "")))
        #expect(parse(#"{"reason":"r","close":8}"#) == .success(.close(client: RoomClientID(8), code: .normalClosure, reason: "r")))
    }

    @Test func acceptsWhitespaceAndALineEnd() {
        #expect(parse(" { \"data\" : \"x\" } \r") == .success(.send(.text([0x78]), to: .everyone)))
        #expect(parse("{\"data\":\"x\"}\n") == .success(.send(.text([0x78]), to: .everyone)))
    }

    @Test func decodesTextEscapes() {
        #expect(parse(#"{"data":"a\nb\u00e9\ud83d\ude00"}"#) == .success(.send(.text(Array("a\nb\u{E9}\u{1F600}".utf8)), to: .everyone)))
    }

    @Test func keepsRecipientsInOrderOnce() {
        #expect(parse(#"{"to":[5,1,5,2,1],"data":""}"#) == .success(.send(.text([]), to: .clients(ids([5, 1, 2])))))
        #expect(parse(#"{"to":[],"data":"x"}"#) == .success(.send(.text([0x78]), to: .clients([]))))
        #expect(parse(#"{"to":[0,18446744073709551615],"data":"x"}"#) == .success(.send(.text([0x78]), to: .clients(ids([0, UInt64.max])))))
    }

    @Test func refusesMalformedLines() {
        #expect(error("") == .json(JSONParseError(.unexpectedEnd, at: 0)))
        #expect(error(#"{"data":"x""#) == .json(JSONParseError(.unexpectedEnd, at: 11)))
        #expect(error(#"{"data":"x"} {"data":"y"}"#) == .json(JSONParseError(.trailingBytes, at: 13)))
        #expect(error(#"{"data":"x","data":"y"}"#) == .json(JSONParseError(.duplicateKey, at: 12)))
        #expect(error(#"["data","x"]"#) == .notAnObject)
        #expect(error(#""data""#) == .notAnObject)
        #expect(error("null") == .notAnObject)
    }

    @Test func refusesUnknownKeysSoATypoNeverBroadcasts() {
        #expect(error(#"{"To":[1],"data":"secret"}"#) == .unknownKey("To"))
        #expect(error(#"{"data":"x","event":"message"}"#) == .unknownKey("event"))
        #expect(error(#"{"dat\u0061":"x","t\u212A":1}"#) == .unknownKey("t\u{212A}"))  // KELVIN SIGN is not "K"
        #expect(error("{}") == .noAction)
    }

    @Test func refusesFieldsThatDoNotGoTogether() {
        #expect(error(#"{"data":"x","binary":"AA=="}"#) == .conflictingFields(.data, .binary))
        #expect(error(#"{"close":1,"data":"x"}"#) == .conflictingFields(.close, .data))
        #expect(error(#"{"close":1,"binary":""}"#) == .conflictingFields(.close, .binary))
        #expect(error(#"{"close":1,"to":[1]}"#) == .conflictingFields(.close, .to))
        #expect(error(#"{"to":[1]}"#) == .fieldRequires(.to, .data))
        #expect(error(#"{"code":1000,"data":"x"}"#) == .fieldRequires(.code, .close))
        #expect(error(#"{"reason":"x"}"#) == .fieldRequires(.reason, .close))
    }

    @Test func refusesWrongTypes() {
        #expect(error(#"{"data":5}"#) == .wrongType(.data))
        #expect(error(#"{"data":null}"#) == .wrongType(.data))
        #expect(error(#"{"binary":["AA=="]}"#) == .wrongType(.binary))
        #expect(error(#"{"to":7,"data":"x"}"#) == .wrongType(.to))
        #expect(error(#"{"to":["7"],"data":"x"}"#) == .wrongType(.to))
        #expect(error(#"{"close":"7"}"#) == .wrongType(.close))
        #expect(error(#"{"close":7,"code":"1000"}"#) == .wrongType(.code))
        #expect(error(#"{"close":7,"reason":5}"#) == .wrongType(.reason))
    }

    @Test(arguments: ["-1", "1.0", "1e2", "18446744073709551616", "-0"])
    func refusesClientIDsThatAreNotPlainUnsignedIntegers(_ id: String) {
        #expect(error(#"{"close":\#(id)}"#) == .invalidClientID(.close))
        #expect(error(#"{"to":[1,\#(id)],"data":"x"}"#) == .invalidClientID(.to))
    }

    @Test func refusesNonCanonicalBase64() {
        for text in ["A", "AA=", "AB==", "AA AA", "AA==\\n", "YQ", "_-==", "AAEC\u{E9}"] {
            #expect(error(#"{"binary":"\#(text)"}"#) == .invalidBase64, "\(text)")
        }
    }

    @Test(arguments: [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1011, 1012, 1013, 1014, 3000, 4000, 4999] as [UInt16])
    func acceptsCloseCodesAServerMaySend(_ code: UInt16) {
        #expect(parse(#"{"close":1,"code":\#(code)}"#) == .success(.close(client: RoomClientID(1), code: WebSocketCloseCode(rawValue: code), reason: "")))
    }

    @Test(arguments: ["0", "999", "1004", "1005", "1006", "1010", "1015", "1016", "2999", "5000", "65535", "65536", "-1000", "1000.0", "1e3",
                      "99999999999999999999"])
    func refusesCloseCodesAServerMayNotSend(_ code: String) {
        #expect(error(#"{"close":1,"code":\#(code)}"#) == .invalidCloseCode(code))
    }

    @Test func limitsTheReasonTo123Bytes() {
        let ascii = String(repeating: "a", count: 123)
        #expect(parse(#"{"close":1,"reason":"\#(ascii)"}"#) == .success(.close(client: RoomClientID(1), code: .normalClosure, reason: ascii)))
        #expect(error(#"{"close":1,"reason":"\#(ascii)b"}"#) == .reasonTooLong(124))
        // 41 × "€" (3 bytes) = 123 bytes; one "é" more is 125. Escapes count as what they decode to.
        let euros = String(repeating: "\u{20AC}", count: 41)
        #expect(parse(#"{"close":1,"reason":"\#(euros)"}"#) == .success(.close(client: RoomClientID(1), code: .normalClosure, reason: euros)))
        #expect(error(#"{"close":1,"reason":"\#(euros)\u00e9"}"#) == .reasonTooLong(125))
        #expect(parse(#"{"close":1,"reason":"\#(String(repeating: "\\u0041", count: 123))"}"#)
            == .success(.close(client: RoomClientID(1), code: .normalClosure, reason: String(repeating: "A", count: 123))))
    }

    @Test func honoursTheLineLimit() {
        let line = Array(#"{"data":"0123456789"}"#.utf8)
        #expect(RoomCommand.parse(line: line, limits: JSONLimits(maxBytes: line.count)) == .success(.send(.text(Array("0123456789".utf8)), to: .everyone)))
        #expect(RoomCommand.parse(line: line, limits: JSONLimits(maxBytes: 10)) == .failure(.json(JSONParseError(.tooLong, at: 10))))
    }

    @Test func describesErrorsOnOneShortLine() {
        #expect(RoomCommandError.unknownKey("a\"b\n").description == #"unknown key "a\"b\n""#)
        #expect(RoomCommandError.unknownKey(String(repeating: "k", count: 100)).description.utf8.count == 12 + 40 + 2)
        #expect(RoomCommandError.json(JSONParseError(.trailingBytes, at: 13)).description == "not JSON: bytes after the value at byte 13")
        #expect(RoomCommandError.conflictingFields(.close, .data).description == #""close" and "data" together"#)
        #expect(RoomCommandError.invalidCloseCode("1005").description == "close code 1005 may not be sent by a server")
        for error in [RoomCommandError.notAnObject, .noAction, .fieldRequires(.to, .data), .wrongType(.to), .invalidClientID(.close),
                      .invalidBase64, .reasonTooLong(200)] {
            #expect(!error.description.isEmpty && !error.description.utf8.contains(0x0A))
        }
    }

    @Test func writesCommandsThatParseBack() {
        let commands: [RoomCommand] = [
            .send(.text(Array("a\"\n\u{E9}".utf8)), to: .everyone),
            .send(.binary([0, 255, 7]), to: .clients(ids([3, 1]))),
            .send(.text([]), to: .clients([])),
            .close(client: RoomClientID(42), code: .tryAgainLater, reason: "slow \"client\""),
        ]
        for command in commands {
            let line = command.jsonLine
            #expect(line.last == 0x0A && line.filter { $0 == 0x0A }.count == 1)
            #expect(RoomCommand.parse(line: line) == .success(command))
        }
        #expect(String(decoding: commands[1].jsonLine, as: UTF8.self) == "{\"to\":[3,1],\"binary\":\"AP8H\"}\n")
        #expect(String(decoding: commands[3].jsonLine, as: UTF8.self) == "{\"close\":42,\"code\":1013,\"reason\":\"slow \\\"client\\\"\"}\n")
    }
}
