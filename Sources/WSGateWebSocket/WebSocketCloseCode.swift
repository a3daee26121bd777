/// The status code of a Close frame (RFC 6455 §7.4, registry in §11.7 and the IANA
/// "WebSocket Close Code Number Registry").
///
/// Why a struct and not an enum: peers may send any of the 3000-4999 codes (§7.4.2), which
/// must be echoed unchanged, and invalid codes must be representable to be rejected.
public struct WebSocketCloseCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16

    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// 1000: normal closure (§7.4.1).
    public static let normalClosure = WebSocketCloseCode(rawValue: 1000)
    /// 1001: the endpoint is "going away", e.g. server shutdown (§7.4.1).
    public static let goingAway = WebSocketCloseCode(rawValue: 1001)
    /// 1002: protocol error (§7.4.1).
    public static let protocolError = WebSocketCloseCode(rawValue: 1002)
    /// 1003: a data type the endpoint cannot accept (§7.4.1).
    public static let unsupportedData = WebSocketCloseCode(rawValue: 1003)
    /// 1005: "no status code was actually present" — reserved, "MUST NOT be set as a status
    /// code in a Close control frame by an endpoint" (§7.4.1).
    public static let noStatusReceived = WebSocketCloseCode(rawValue: 1005)
    /// 1006: the connection closed without a Close frame — reserved, never on the wire
    /// (§7.4.1).
    public static let abnormalClosure = WebSocketCloseCode(rawValue: 1006)
    /// 1007: data inconsistent with the message type, e.g. non-UTF-8 text (§7.4.1).
    public static let invalidFramePayloadData = WebSocketCloseCode(rawValue: 1007)
    /// 1008: a message violates the endpoint's policy (§7.4.1).
    public static let policyViolation = WebSocketCloseCode(rawValue: 1008)
    /// 1009: a message too big to process (§7.4.1).
    public static let messageTooBig = WebSocketCloseCode(rawValue: 1009)
    /// 1010: (client only) an expected extension was not negotiated (§7.4.1).
    public static let mandatoryExtension = WebSocketCloseCode(rawValue: 1010)
    /// 1011: the server met an unexpected condition (§7.4.1).
    public static let internalError = WebSocketCloseCode(rawValue: 1011)
    /// 1012: service restart (IANA registry).
    public static let serviceRestart = WebSocketCloseCode(rawValue: 1012)
    /// 1013: try again later (IANA registry).
    public static let tryAgainLater = WebSocketCloseCode(rawValue: 1013)
    /// 1014: bad gateway (IANA registry).
    public static let badGateway = WebSocketCloseCode(rawValue: 1014)

    /// Whether a peer may send this code in a Close frame: the defined codes 1000-1003 and
    /// 1007-1014, and the registered/private ranges 3000-4999 (§7.4.2). 0-999 are "not used",
    /// 1004 is reserved, 1005/1006/1015 "MUST NOT be set ... in a Close control frame", the
    /// rest of 1000-2999 is reserved for this and future RFCs, 5000+ is undefined.
    public var isAllowedOnWire: Bool {
        switch rawValue {
        case 1000 ... 1003, 1007 ... 1014, 3000 ... 4999: true
        default: false
        }
    }

    public var description: String { String(rawValue) }
}
