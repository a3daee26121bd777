public import WSGateJSON

/// The keys a command may have.
public enum RoomCommandField: String, CaseIterable, Sendable {
    case data, binary, to, close, code, reason

    /// The field named by `key`, compared byte for byte.
    init?(key: String) {
        for field in Self.allCases where key.utf8.elementsEqual(field.rawValue.utf8) {
            self = field
            return
        }
        return nil
    }
}

/// Why a backend output line is not a room command.
///
/// Why it exists: a malformed line is logged and skipped, never fatal to the room, so every
/// way a line can be wrong has a value and a `description` that fits in one log line (an
/// unknown key is quoted with JSON escapes and cut to 40 bytes).
public enum RoomCommandError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The line is not one JSON text.
    case json(JSONParseError)
    /// The JSON value is not an object.
    case notAnObject
    /// A key the protocol does not have.
    case unknownKey(String)
    /// Neither `"data"`, `"binary"` nor `"close"`.
    case noAction
    /// Two keys that cannot go together (`"data"` and `"binary"`, `"close"` and a payload).
    case conflictingFields(RoomCommandField, RoomCommandField)
    /// A field only allowed with another one (`"to"` without a payload, `"code"` without
    /// `"close"`).
    case fieldRequires(RoomCommandField, RoomCommandField)
    /// A field whose JSON type is wrong (e.g. `"data":5`, `"to":7`).
    case wrongType(RoomCommandField)
    /// A client ID that is not a plain integer from 0 to 2^64-1.
    case invalidClientID(RoomCommandField)
    /// `"binary"` is not canonical padded base64.
    case invalidBase64
    /// A close code a server may not send (as written).
    case invalidCloseCode(String)
    /// A close reason longer than 123 bytes of UTF-8 (its length is given).
    case reasonTooLong(Int)

    public var description: String {
        switch self {
        case .json(let error): return "not JSON: \(error)"
        case .notAnObject: return "not a JSON object"
        case .unknownKey(let key):
            var writer = JSONWriter()
            writer.writeString(utf8: key.utf8.prefix(40))
            return "unknown key \(String(decoding: writer.bytes, as: UTF8.self))"
        case .noAction: return "expected \"data\", \"binary\" or \"close\""
        case .conflictingFields(let first, let second): return "\"\(first.rawValue)\" and \"\(second.rawValue)\" together"
        case .fieldRequires(let field, let other): return "\"\(field.rawValue)\" without \"\(other.rawValue)\""
        case .wrongType(let field): return "\"\(field.rawValue)\" has the wrong type"
        case .invalidClientID(let field): return "\"\(field.rawValue)\" holds an invalid client ID"
        case .invalidBase64: return "\"binary\" is not canonical base64"
        case .invalidCloseCode(let text): return "close code \(text.prefix(20)) may not be sent by a server"
        case .reasonTooLong(let length): return "close reason of \(length) bytes (at most 123)"
        }
    }
}
