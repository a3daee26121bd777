public import WSGateJSON
public import WSGateWebSocket

/// What a room's backend asks the gateway to do under `--room-protocol=json`, one JSON object
/// per output line:
///
///     {"data":"hi all"}                          a text message to every client
///     {"to":[3,7],"binary":"AAEC"}               a binary message (base64) to clients 3 and 7
///     {"close":7,"code":4000,"reason":"bye"}     close client 7 ("code" defaults to 1000,
///                                                "reason" to "")
///
/// Why it exists: the backend speaks for the whole room and must address clients one by one.
/// The parser is strict, so a typo never widens who gets a message: an unknown key (`"To"`),
/// `"data"` with `"binary"`, `"close"` with a payload, an ID that is not a plain non-negative
/// integer, a close code a server may not send or a reason over 123 bytes are each a
/// `RoomCommandError` the engine logs before skipping the line.
public enum RoomCommand: Equatable, Sendable {
    /// Send `data` as one message to `recipients`.
    case send(RoomData, to: RoomRecipients)
    /// Close one client's connection with this code and reason.
    case close(client: RoomClientID, code: WebSocketCloseCode, reason: String)

    /// The longest close reason: a close frame's payload is at most 125 bytes, two of them the
    /// code (RFC 6455 §5.5).
    public static let maxReasonBytes = 123

    /// The command written on one backend output line (without its line end; whitespace
    /// around the object is allowed), or why it is not one.
    public static func parse(line: some Collection<UInt8>, limits: JSONLimits = JSONLimits())
        -> Result<RoomCommand, RoomCommandError> {
        let value: JSONValue
        do {
            value = try JSONReader.parse(line, limits: limits)
        } catch {
            return .failure(.json(error))
        }
        guard case .object(let object) = value else { return .failure(.notAnObject) }
        do throws(RoomCommandError) {
            return .success(try RoomCommandFields(object).command())
        } catch {
            return .failure(error)
        }
    }
}

/// Who a `send` command is for.
public enum RoomRecipients: Equatable, Sendable {
    /// Every client in the room (`"to"` absent).
    case everyone
    /// These clients, in the order given, each once (`"to":[…]`, duplicates dropped; IDs of
    /// clients no longer in the room are the engine's to skip).
    case clients([RoomClientID])
}
