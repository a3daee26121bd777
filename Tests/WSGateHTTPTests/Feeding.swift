import Testing
import WSGateCore
import WSGateHTTP

/// UTF-8 bytes of a string (test inputs are written as text, with raw bytes concatenated).
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// What feeding some bytes to a fresh parser led to.
enum Outcome: Equatable, CustomStringConvertible {
    /// A head, and the bytes left in the buffer once every chunk was appended.
    case head(HTTPRequestHead, rest: [UInt8])
    /// Every call returned nil; `buffered` bytes are in the buffer (nothing consumed).
    case incomplete(buffered: Int)
    /// A call threw.
    case failed(HTTPParseError)

    var description: String {
        switch self {
        case .head(let head, let rest): return "head(\(head.method) \(head.target), rest: \(rest.count) bytes)"
        case .incomplete(let buffered): return "incomplete(\(buffered))"
        case .failed(let error): return "failed(\(error))"
        }
    }

    var error: HTTPParseError? {
        if case .failed(let error) = self { return error }
        return nil
    }

    var head: HTTPRequestHead? {
        if case .head(let head, _) = self { return head }
        return nil
    }
}

/// Appends `chunks` one after the other to one buffer, calling `parse` after each append until
/// it returns a head or throws. Checks that every nil answer consumed nothing.
func feed(
    _ chunks: [ArraySlice<UInt8>],
    parser: HTTPRequestParser = HTTPRequestParser(),
    sourceLocation: SourceLocation = #_sourceLocation
) -> Outcome {
    var parser = parser
    var buffer = ByteBuffer()
    var result: Outcome?
    var fed = 0
    for chunk in chunks {
        buffer.writeBytes(chunk)
        fed += chunk.count
        guard result == nil else { continue }
        do {
            if let head = try parser.parse(&buffer) {
                result = .head(head, rest: [])
            } else {
                #expect(buffer.readableBytes == fed, "a nil answer consumed bytes", sourceLocation: sourceLocation)
            }
        } catch {
            result = .failed(error)
        }
    }
    switch result {
    case .head(let head, _): return .head(head, rest: buffer.readableBytesArray)
    case .failed(let error): return .failed(error)
    case .incomplete, nil: return .incomplete(buffered: buffer.readableBytes)
    }
}

/// Feeds `input` whole, one byte at a time, and split in two at every position (`splitPoints`);
/// expects the same outcome every time and returns it.
func feedAllWays(
    _ input: [UInt8],
    parser: HTTPRequestParser = HTTPRequestParser(),
    sourceLocation: SourceLocation = #_sourceLocation
) -> Outcome {
    let whole = feed([input[...]], parser: parser, sourceLocation: sourceLocation)
    let byteByByte = feed(input.indices.map { input[$0...$0] }, parser: parser, sourceLocation: sourceLocation)
    #expect(byteByByte == whole, "byte by byte", sourceLocation: sourceLocation)
    for split in splitPoints(count: input.count) {
        let twoPieces = feed([input[..<split], input[split...]], parser: parser, sourceLocation: sourceLocation)
        if twoPieces != whole {
            Issue.record("split at \(split): \(twoPieces) instead of \(whole)", sourceLocation: sourceLocation)
            break
        }
    }
    return whole
}

/// Every position of a short input; in a long one (the size-limit heads, a request line and a
/// few fields around kilobytes of one repeated padding byte) every position of its first and
/// last 128 bytes, where all the structure is, and every 61st in between: a split inside the
/// padding is like its neighbours, and all of them made the test quadratic (minutes in a
/// sanitizer run for two 16 KiB heads).
func splitPoints(count: Int) -> [Int] {
    let edge = 128
    guard count > 4 * edge else { return Array(0...count) }
    return Array(0..<edge) + Array(stride(from: edge, to: count - edge, by: 61)) + Array((count - edge)...count)
}
