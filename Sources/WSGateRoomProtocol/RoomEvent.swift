internal import WSGateCore
internal import WSGateJSON

/// What the gateway tells a room's backend under `--room-protocol=json`, one JSON object a line:
///
///     {"event":"join","client":7,"remote":"192.0.2.1"}
///     {"event":"message","client":7,"data":"hello"}        a text message
///     {"event":"message","client":7,"binary":"AAEC"}       a binary message, base64
///     {"event":"leave","client":7,"code":1000}
///
/// Why it exists: the backend is one process for every client of the room and must know who
/// came, who said what, and who left. Members are always written in this order, with no
/// spaces, so a line is the same bytes every time. Text that is not well-formed UTF-8 (the
/// WebSocket layer lets none through) would be written with U+FFFD, never as invalid JSON.
public enum RoomEvent: Equatable, Sendable {
    /// A client joined the room; `remote` is its address as the access log writes it.
    case join(client: RoomClientID, remote: String)
    /// A client sent a message.
    case message(client: RoomClientID, data: RoomData)
    /// A client left; `code` is the code of whoever closed first: the client's (1005 when its
    /// close frame had none), or the gateway's (a `close` command, 1008 for a slow client, 1001
    /// at shutdown); 1006 when the connection ended without a close frame (RFC 6455 §7.1.5).
    case leave(client: RoomClientID, code: UInt16)

    /// The event as one JSON line, with its trailing "\n".
    public var jsonLine: [UInt8] {
        var writer = JSONWriter(capacity: 48 + payloadSizeHint)
        switch self {
        case .join(let client, let remote):
            writer.writeRaw("{\"event\":\"join\",\"client\":")
            writer.writeInteger(client.rawValue)
            writer.writeRaw(",\"remote\":")
            writer.writeString(remote)
        case .message(let client, let data):
            writer.writeRaw("{\"event\":\"message\",\"client\":")
            writer.writeInteger(client.rawValue)
            writer.writeRaw(",")
            RoomData.write(data, into: &writer)
        case .leave(let client, let code):
            writer.writeRaw("{\"event\":\"leave\",\"client\":")
            writer.writeInteger(client.rawValue)
            writer.writeRaw(",\"code\":")
            writer.writeInteger(UInt64(code))
        }
        writer.writeRaw("}\n")
        return writer.bytes
    }

    private var payloadSizeHint: Int {
        guard case .message(_, let data) = self else { return 0 }
        return data.bytes.count / 3 * 4 + 8
    }
}

extension RoomData {
    /// Writes `"data":"…"` or `"binary":"…"`.
    static func write(_ data: RoomData, into writer: inout JSONWriter) {
        switch data {
        case .text(let bytes):
            writer.writeRaw("\"data\":")
            writer.writeString(utf8: bytes)
        case .binary(let bytes):
            writer.writeRaw("\"binary\":")
            writer.writeString(Base64.encode(bytes))
        }
    }
}
