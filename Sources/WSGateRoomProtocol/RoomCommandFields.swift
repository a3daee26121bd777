internal import WSGateCore
internal import WSGateJSON
internal import WSGateWebSocket

/// The members of one command object sorted by field, and the rules that make a command of
/// them.
///
/// Why it exists: `RoomCommand.parse` stays short, and each rule (which keys go together,
/// what each value must be) is one place.
struct RoomCommandFields {
    private var values: [RoomCommandField: JSONValue] = [:]

    /// Sorts `object`'s members (the reader has already refused duplicate keys).
    init(_ object: JSONObject) throws(RoomCommandError) {
        for member in object.members {
            guard let field = RoomCommandField(key: member.key) else { throw .unknownKey(member.key) }
            values[field] = member.value
        }
    }

    func command() throws(RoomCommandError) -> RoomCommand {
        if values[.close] != nil {
            for other in [RoomCommandField.data, .binary, .to] where values[other] != nil {
                throw .conflictingFields(.close, other)
            }
            return try closeCommand()
        }
        for field in [RoomCommandField.code, .reason] where values[field] != nil { throw .fieldRequires(field, .close) }
        let data = try payload()
        guard let to = values[.to] else { return .send(data, to: .everyone) }
        guard case .array(let elements) = to else { throw .wrongType(.to) }
        var seen = Set<RoomClientID>()
        var recipients: [RoomClientID] = []
        for element in elements {
            let client = try Self.clientID(element, field: .to)
            if seen.insert(client).inserted { recipients.append(client) }
        }
        return .send(data, to: .clients(recipients))
    }

    /// The `"data"` or `"binary"` payload.
    private func payload() throws(RoomCommandError) -> RoomData {
        switch (values[.data], values[.binary]) {
        case (nil, nil):
            if values[.to] != nil { throw .fieldRequires(.to, .data) }
            throw .noAction
        case (.some, .some):
            throw .conflictingFields(.data, .binary)
        case (.some(let text), nil):
            guard let string = text.stringValue else { throw .wrongType(.data) }
            return .text(Array(string.utf8))
        case (nil, .some(let encoded)):
            guard let string = encoded.stringValue else { throw .wrongType(.binary) }
            guard let bytes = Base64.decode(string) else { throw .invalidBase64 }
            return .binary(bytes)
        }
    }

    private func closeCommand() throws(RoomCommandError) -> RoomCommand {
        let client = try Self.clientID(values[.close] ?? .null, field: .close)
        var code = WebSocketCloseCode.normalClosure
        if let value = values[.code] {
            guard let number = value.numberValue else { throw .wrongType(.code) }
            guard let raw = number.uint64Value, raw <= UInt64(UInt16.max),
                  Self.serverMaySend(WebSocketCloseCode(rawValue: UInt16(raw))) else {
                throw .invalidCloseCode(number.text)
            }
            code = WebSocketCloseCode(rawValue: UInt16(raw))
        }
        var reason = ""
        if let value = values[.reason] {
            guard let text = value.stringValue else { throw .wrongType(.reason) }
            guard text.utf8.count <= RoomCommand.maxReasonBytes else { throw .reasonTooLong(text.utf8.count) }
            reason = text
        }
        return .close(client: client, code: code, reason: reason)
    }

    /// Codes a server may put in a close frame: those allowed on the wire (RFC 6455 §7.4)
    /// except 1010, which only a client sends (§7.4.1).
    static func serverMaySend(_ code: WebSocketCloseCode) -> Bool {
        code.isAllowedOnWire && code != .mandatoryExtension
    }

    private static func clientID(_ value: JSONValue, field: RoomCommandField) throws(RoomCommandError) -> RoomClientID {
        guard let number = value.numberValue else { throw .wrongType(field) }
        guard let raw = number.uint64Value else { throw .invalidClientID(field) }
        return RoomClientID(raw)
    }
}
