import WSGateBackends
import WSGateCore
import WSGateRoomProtocol
import WSGateWebSocket

/// `--room-protocol=json`: events written to the backend and its output lines run as commands.
///
/// Commands run in the order the backend wrote them. Consecutive messages for everyone are
/// gathered into one batch and encoded once, as in plain mode; a message for some clients or
/// a close first sends what was gathered, so no client sees them out of order. A line that is
/// not a command is reported (`commandSkipped`) and skipped; a recipient or a client to close
/// that is no longer in the room is skipped silently (it left while the backend answered).
extension Room {
    /// Writes one event line to the backend.
    func announce(_ event: WSGateRoomProtocol.RoomEvent) {
        let line = event.jsonLine
        endpoint.write(minimumCapacity: line.count) { $0.writeBytes(line) }
    }

    /// The lines are split off first and run after: running one may close a client, which may
    /// end the room and so reach the splitter again.
    func takeCommands(from buffer: inout ByteBuffer) {
        var pieces: [CommandLineSplitter.Piece] = []
        commandSplitter.consume(&buffer) { pieces.append($0) }
        run(pieces)
    }

    /// The end of the backend's output: a last line without "\n" still counts.
    func finishCommands() {
        var pieces: [CommandLineSplitter.Piece] = []
        commandSplitter.finish { pieces.append($0) }
        run(pieces)
    }

    private func run(_ pieces: [CommandLineSplitter.Piece]) {
        for piece in pieces { run(piece) }
        sendEveryoneBatch()
    }

    private func run(_ piece: CommandLineSplitter.Piece) {
        let line: ByteBuffer
        switch piece {
        case .tooLong:
            onEvent(.commandSkipped(reason: "a line over \(CommandLineSplitter.defaultMaxLineBytes) bytes"))
            return
        case .line(let bytes):
            line = bytes
        }
        // Blank lines (a backend's spacing) are not commands and not worth a log line.
        if line.withUnsafeReadableBytes({ $0.allSatisfy(Self.isJSONWhitespace) }) { return }
        let parsed = line.withUnsafeReadableBytes { RoomCommand.parse(line: $0) }
        switch parsed {
        case .failure(let error):
            onEvent(.commandSkipped(reason: error.description))
        case .success(.send(let data, .everyone)):
            Self.append(data, to: &everyoneBatch)
        case .success(.send(let data, .clients(let recipients))):
            sendEveryoneBatch()
            var batch = makeBatch(expectedBytes: RoomFrameBatch.frameSize(data.bytes.count))
            Self.append(data, to: &batch)
            deliver(batch, to: recipients)
        case .success(.close(let client, let code, let reason)):
            sendEveryoneBatch()
            member(numbered: client)?.session?.close(code: code, reason: reason)
        }
    }

    private func sendEveryoneBatch() {
        guard !everyoneBatch.isEmpty else { return }
        let batch = everyoneBatch
        everyoneBatch = makeBatch()
        deliver(batch)
    }

    private static func append(_ data: RoomData, to batch: inout RoomFrameBatch) {
        switch data {
        case .text(let bytes): batch.append(.text, ByteBuffer(bytes: bytes))
        case .binary(let bytes): batch.append(.binary, ByteBuffer(bytes: bytes))
        }
    }

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }
}
