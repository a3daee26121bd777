import Testing
import WSGateWebSocket

@Suite(.timeLimit(.minutes(10))) struct WebSocketTypesTests {
    @Test func opcodeValuesAndClasses() {
        #expect([WebSocketOpcode.continuation, .text, .binary, .close, .ping, .pong].map(\.rawValue) == [0, 1, 2, 8, 9, 10])
        for raw in UInt8(0) ... 15 {
            let opcode = WebSocketOpcode(rawValue: raw)
            #expect(opcode.isControl == (raw >= 8), "\(raw)")
            #expect(opcode.isKnown == [0, 1, 2, 8, 9, 10].contains(raw), "\(raw)")
        }
    }

    @Test func closeCodeValues() {
        #expect(WebSocketCloseCode.normalClosure.rawValue == 1000)
        #expect(WebSocketCloseCode.goingAway.rawValue == 1001)
        #expect(WebSocketCloseCode.protocolError.rawValue == 1002)
        #expect(WebSocketCloseCode.unsupportedData.rawValue == 1003)
        #expect(WebSocketCloseCode.noStatusReceived.rawValue == 1005)
        #expect(WebSocketCloseCode.abnormalClosure.rawValue == 1006)
        #expect(WebSocketCloseCode.invalidFramePayloadData.rawValue == 1007)
        #expect(WebSocketCloseCode.policyViolation.rawValue == 1008)
        #expect(WebSocketCloseCode.messageTooBig.rawValue == 1009)
        #expect(WebSocketCloseCode.mandatoryExtension.rawValue == 1010)
        #expect(WebSocketCloseCode.internalError.rawValue == 1011)
        #expect(WebSocketCloseCode.serviceRestart.rawValue == 1012)
        #expect(WebSocketCloseCode.tryAgainLater.rawValue == 1013)
        #expect(WebSocketCloseCode.badGateway.rawValue == 1014)
        #expect(!WebSocketCloseCode.noStatusReceived.isAllowedOnWire)
        #expect(!WebSocketCloseCode.abnormalClosure.isAllowedOnWire)
    }

    @Test func allowedCloseCodesExhaustively() {
        for raw in UInt16(0) ... UInt16.max {
            let expected = (1000 ... 1003).contains(raw) || (1007 ... 1014).contains(raw) || (3000 ... 4999).contains(raw)
            if WebSocketCloseCode(rawValue: raw).isAllowedOnWire != expected { Issue.record("code \(raw)") }
        }
    }

    static let allErrors: [WebSocketError] = [
        .reservedBitsSet(7), .unknownOpcode(15), .fragmentedControlFrame(.ping), .controlFrameTooLong(.close),
        .unmaskedFrame, .maskedFrame, .payloadLengthTooLong, .frameTooBig(length: .max, limit: 1),
        .messageTooBig(limit: 1), .unexpectedContinuation, .expectedContinuation(.binary), .invalidUTF8,
        .incompleteUTF8, .closePayloadTooShort, .invalidCloseCode(65535), .invalidCloseReason,
    ]

    @Test(arguments: allErrors)
    func errorMapsToItsCloseCodeWithAShortReason(_ error: WebSocketError) {
        let expected: WebSocketCloseCode
        switch error {
        case .invalidUTF8, .incompleteUTF8, .invalidCloseReason: expected = .invalidFramePayloadData
        case .frameTooBig, .messageTooBig: expected = .messageTooBig
        default: expected = .protocolError
        }
        #expect(error.closeCode == expected)
        #expect(!error.reason.isEmpty)
        #expect(error.reason.utf8.count <= 123)
        #expect(error.closeCode.isAllowedOnWire)
    }
}
