internal import WSGateCore
internal import WSGateWebSocket
internal import WSGateJSON

extension RoomCommand {
    /// The command as a backend would write it: one JSON line with its trailing "\n", keys in
    /// the documented order. For tests, examples and the fuzz round trip; the gateway only
    /// reads commands.
    public var jsonLine: [UInt8] {
        var writer = JSONWriter()
        switch self {
        case .send(let data, let recipients):
            writer.writeRaw("{")
            if case .clients(let clients) = recipients {
                writer.writeRaw("\"to\":[")
                for (position, client) in clients.enumerated() {
                    if position > 0 { writer.writeRaw(",") }
                    writer.writeInteger(client.rawValue)
                }
                writer.writeRaw("],")
            }
            RoomData.write(data, into: &writer)
        case .close(let client, let code, let reason):
            writer.writeRaw("{\"close\":")
            writer.writeInteger(client.rawValue)
            writer.writeRaw(",\"code\":")
            writer.writeInteger(UInt64(code.rawValue))
            writer.writeRaw(",\"reason\":")
            writer.writeString(reason)
        }
        writer.writeRaw("}\n")
        return writer.bytes
    }
}
