import WSGateCore
import WSGateJSON
import WSGateRoomProtocol

/// The JSON reader and the room protocol: no crash on any bytes; an accepted value written
/// back and read again is the same value and the same text (written on one line, no raw
/// control byte); the contiguous and the copied input give the same answer; an error points
/// inside the input; a parsed command written back parses to the same command; an event
/// built from any bytes is one line of valid JSON that gives the bytes back; the command line
/// splitter, fed the input in reads of any sizes, gives what splitting it whole on "\n" gives.
func readJSON(_ bytes: some Collection<UInt8>, limits: JSONLimits) -> Result<JSONValue, JSONParseError> {
    do {
        return .success(try JSONReader.parse(bytes, limits: limits))
    } catch {
        return .failure(error)
    }
}

func checkReader(_ input: [UInt8]) {
    let limits = JSONLimits(maxBytes: 1 << 16, maxDepth: 32, maxNumberBytes: 128)
    let result = readJSON(input, limits: limits)
    let copied = readJSON(input.lazy.map { $0 }, limits: limits)
    FuzzCheck.require(result == copied, "contiguous: \(result), copied: \(copied)")
    switch result {
    case .failure(let error):
        FuzzCheck.require(error.offset >= 0 && error.offset <= input.count, "offset \(error.offset) of \(input.count) bytes")
    case .success(let value):
        let text = value.jsonText
        FuzzCheck.require(!text.contains { $0 < 0x20 }, "a raw control byte in \(text)")
        guard case .success(let again) = readJSON(text, limits: limits) else {
            FuzzCheck.require(false, "written text does not read back: \(text)")
            return
        }
        FuzzCheck.require(again == value, "read back differs: \(again) vs \(value)")
        FuzzCheck.require(again.jsonText == text, "written twice differently: \(text)")
    }
}

func checkCommand(_ input: [UInt8]) {
    switch RoomCommand.parse(line: input) {
    case .failure(let error):
        FuzzCheck.require(!error.description.utf8.contains(0x0A), "a newline in \(error)")
    case .success(let command):
        let line = command.jsonLine
        FuzzCheck.require(line.last == 0x0A && line.filter { $0 == 0x0A }.count == 1, "not one line: \(line)")
        let again = RoomCommand.parse(line: line.dropLast())
        FuzzCheck.require(again == .success(command), "\(command) written and read back: \(again)")
    }
}

func checkEvents(_ input: [UInt8]) {
    let client = RoomClientID(UInt64(input.count) &* 0x9E37_79B9)
    for data in [RoomData.text(input), .binary(input)] {
        let line = RoomEvent.message(client: client, data: data).jsonLine
        FuzzCheck.require(line.last == 0x0A && line.filter { $0 == 0x0A }.count == 1, "not one line: \(line)")
        guard case .success(.object(let object)) = readJSON(line.dropLast(), limits: JSONLimits(maxBytes: .max)),
              object["client"]?.numberValue?.uint64Value == client.rawValue else {
            FuzzCheck.require(false, "the event is not the documented object: \(line)")
            return
        }
        if case .binary = data {
            // The payload comes back through a command's decoder.
            let encoded = object["binary"]?.stringValue ?? ""
            let command = RoomCommand.parse(line: Array("{\"binary\":\"\(encoded)\"}".utf8), limits: JSONLimits(maxBytes: .max))
            FuzzCheck.require(command == .success(.send(data, to: .everyone)), "binary payload lost: \(command)")
        } else if let text = String(validating: input, as: UTF8.self) {
            FuzzCheck.require(object["data"] == .string(text), "text payload lost")
        }
    }
}

/// The first byte picks the line limit and the read size; the rest is the output.
func checkSplitter(_ input: [UInt8]) {
    guard let first = input.first else { return }
    let limit = Int(first & 0x1F) + 1
    let readSize = Int(first >> 5) + 1
    let output = Array(input.dropFirst())
    var expected: [CommandLineSplitter.Piece] = []
    var lines = output.split(separator: 0x0A, omittingEmptySubsequences: false)
    if lines.last?.isEmpty == true { lines.removeLast() }
    for line in lines {
        expected.append(line.count > limit ? .tooLong : .line(ByteBuffer(bytes: line)))
    }
    var splitter = CommandLineSplitter(maxLineBytes: limit)
    var pieces: [CommandLineSplitter.Piece] = []
    var offset = 0
    while offset < output.count {
        let end = min(output.count, offset + readSize)
        var read = ByteBuffer(bytes: output[offset..<end])
        splitter.consume(&read) { pieces.append($0) }
        FuzzCheck.require(read.readableBytes == 0 && splitter.bufferedBytes <= limit, "bytes left or over the limit")
        offset = end
    }
    splitter.finish { pieces.append($0) }
    FuzzCheck.require(pieces == expected, "split \(pieces), expected \(expected)")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRoomJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzCheck.input(data, size)
    checkReader(input)
    checkCommand(input)
    checkEvents(input)
    checkSplitter(input)
    return 0
}
