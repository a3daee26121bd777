import Testing
import WSGateCore
import WSGateTestSupport
import WSGateWebSocket

@Suite(.timeLimit(.minutes(10))) struct WebSocketClosePayloadTests {
    /// Autobahn 7.7.x: valid codes are echoed.
    static let validCodes: [UInt16] = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014,
                                       3000, 3999, 4000, 4999]
    /// Autobahn 7.9.x plus the other reserved/undefined ones.
    static let invalidCodes: [UInt16] = [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535]

    @Test(arguments: validCodes)
    func validCodeIsDelivered(_ code: UInt16) {
        let outcome = DecoderVerifier.verify(FrameBytes.close(code: code))
        #expect(outcome.messages == [.close(code: WebSocketCloseCode(rawValue: code), reason: "")])
        #expect(WebSocketCloseCode(rawValue: code).isAllowedOnWire)
    }

    @Test(arguments: invalidCodes)
    func invalidCodeIsAProtocolError(_ code: UInt16) {
        let outcome = DecoderVerifier.verify(FrameBytes.close(code: code))
        #expect(outcome.error == .invalidCloseCode(code))
        #expect(outcome.error?.closeCode == .protocolError)
        #expect(!WebSocketCloseCode(rawValue: code).isAllowedOnWire)
    }

    @Test func emptyCloseHasNoCode() {
        #expect(DecoderVerifier.verify(FrameBytes.close(code: nil)).messages == [.close(code: nil, reason: "")])
    }

    @Test func oneByteCloseIsAProtocolError() {
        let outcome = DecoderVerifier.verify(FrameBytes.frame(.close, [0x03]))
        #expect(outcome.error == .closePayloadTooShort)
        #expect(outcome.error?.closeCode == .protocolError)
    }

    @Test func reasonIsDecoded() {
        let outcome = DecoderVerifier.verify(FrameBytes.close(code: 1001, reason: Array("bye κόσμε".utf8)))
        #expect(outcome.messages == [.close(code: .goingAway, reason: "bye κόσμε")])
    }

    @Test func reasonOf123BytesIsAccepted() {
        let reason = [UInt8](repeating: 0x2A, count: 123)
        let outcome = DecoderVerifier.verify(FrameBytes.close(code: 1000, reason: reason))
        #expect(outcome.messages == [.close(code: .normalClosure, reason: String(repeating: "*", count: 123))])
    }

    /// Autobahn 7.5.1: a reason that is not UTF-8 fails with 1007.
    @Test func invalidUTF8ReasonFails() {
        let reason: [UInt8] = [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5, 0xED, 0xA0, 0x80, 0x65, 0x64]
        let outcome = DecoderVerifier.verify(FrameBytes.close(code: 1000, reason: reason))
        #expect(outcome.error == .invalidCloseReason)
        #expect(outcome.error?.closeCode == .invalidFramePayloadData)
        let truncated = DecoderVerifier.verify(FrameBytes.close(code: 1000, reason: [0x41, 0xCE]))
        #expect(truncated.error == .invalidCloseReason)
    }

    /// Autobahn 7.3.6: a 126-byte close payload is a control frame that is too long.
    @Test func closePayloadOf126BytesFails() {
        let outcome = DecoderVerifier.verify(FrameBytes.close(code: 1000, reason: [UInt8](repeating: 0x2A, count: 124)))
        #expect(outcome.error == .controlFrameTooLong(.close))
    }

    @Test func parseClosePayloadDirectly() throws {
        let parsed = try WebSocketMessageAssembler.parseClosePayload(buf([0x0F, 0xA0, 0x68, 0x69]))
        #expect(parsed.code == WebSocketCloseCode(rawValue: 4000))
        #expect(parsed.reason == "hi")
        let empty = try WebSocketMessageAssembler.parseClosePayload(buf([]))
        #expect(empty.code == nil)
        #expect(empty.reason == "")
    }
}
