import Testing
import WSGateJSON
import WSGateRoomProtocol

@Suite(.timeLimit(.minutes(10))) struct RoomEventTests {
    private func line(_ event: RoomEvent) -> String {
        String(decoding: event.jsonLine, as: UTF8.self)
    }

    @Test func writesEachEventsExactLine() {
        #expect(line(.join(client: RoomClientID(1), remote: "192.0.2.1")) == "{\"event\":\"join\",\"client\":1,\"remote\":\"192.0.2.1\"}\n")
        #expect(line(.message(client: RoomClientID(7), data: .text(Array("hello".utf8))))
            == "{\"event\":\"message\",\"client\":7,\"data\":\"hello\"}\n")
        #expect(line(.message(client: RoomClientID(7), data: .binary([0, 1, 2, 0xFF])))
            == "{\"event\":\"message\",\"client\":7,\"binary\":\"AAEC/w==\"}\n")
        #expect(line(.leave(client: RoomClientID(7), code: 1000)) == "{\"event\":\"leave\",\"client\":7,\"code\":1000}\n")
        #expect(line(.leave(client: RoomClientID(UInt64.max), code: 1006))
            == "{\"event\":\"leave\",\"client\":18446744073709551615,\"code\":1006}\n")
    }

    @Test func escapesTextSoTheLineStaysOneLine() {
        let text = "say \"hi\"\nand\\or\r\t\u{0}\u{E9}\u{1F600}\u{2028}"
        let event = RoomEvent.message(client: RoomClientID(3), data: .text(Array(text.utf8)))
        #expect(line(event) == "{\"event\":\"message\",\"client\":3,\"data\":\"say \\\"hi\\\"\\nand\\\\or\\r\\t\\u0000\u{E9}\u{1F600}\u{2028}\"}\n")
        let bytes = event.jsonLine
        #expect(bytes.filter { $0 == 0x0A }.count == 1 && bytes.last == 0x0A)
        #expect(line(.join(client: RoomClientID(2), remote: "[::1]\n\"x\"")) == "{\"event\":\"join\",\"client\":2,\"remote\":\"[::1]\\n\\\"x\\\"\"}\n")
    }

    @Test func readsBackAsTheDocumentedObject() throws {
        let payloads: [[UInt8]] = [[], [0], Array(0 ... 255), Array("plain".utf8)]
        for payload in payloads {
            let binary = try JSONReader.parse(RoomEvent.message(client: RoomClientID(9), data: .binary(payload)).jsonLine)
            guard case .object(let object) = binary else { Issue.record("not an object"); continue }
            #expect(object.members.map(\.key) == ["event", "client", "binary"])
            #expect(object["client"]?.numberValue?.uint64Value == 9)
            #expect(object["event"] == .string("message"))
        }
        let text = try JSONReader.parse(RoomEvent.message(client: RoomClientID(9), data: .text(Array("\u{E9}\n".utf8))).jsonLine)
        guard case .object(let object) = text else { Issue.record("not an object"); return }
        #expect(object["data"] == .string("\u{E9}\n"))
    }

    @Test func writesIllFormedTextAsReplacementCharacters() throws {
        let bytes = RoomEvent.message(client: RoomClientID(1), data: .text([0x61, 0xFF, 0x62])).jsonLine
        guard case .object(let object) = try JSONReader.parse(bytes) else { Issue.record("not an object"); return }
        #expect(object["data"] == .string("a\u{FFFD}b"))
    }

    @Test func writesLargePayloadsWhole() throws {
        let payload = (0 ..< 100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let bytes = RoomEvent.message(client: RoomClientID(5), data: .binary(payload)).jsonLine
        #expect(bytes.count == 43 + (payload.count + 2) / 3 * 4)
        // The same base64 in a command decodes to the same bytes.
        guard case .object(let event) = try JSONReader.parse(bytes), let encoded = event["binary"]?.stringValue else {
            Issue.record("no binary member")
            return
        }
        let command = RoomCommand.parse(line: Array("{\"binary\":\"\(encoded)\"}".utf8))
        #expect(command == .success(.send(.binary(payload), to: .everyone)))
    }
}
