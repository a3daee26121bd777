import Testing
import WSGateCore
import WSGateHTTP

/// The v2 signature, written out here so the tests do not trust the parser's copy.
let proxyV2Signature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A]

/// A v2 header: signature, version/command byte, family byte, `length` (default: the block's)
/// and the address block with any TLVs.
func proxyV2(command: UInt8 = 0x21, family: UInt8 = 0x11, length: Int? = nil, _ block: [UInt8]) -> [UInt8] {
    let length = length ?? block.count
    return proxyV2Signature + [command, family, UInt8(length >> 8), UInt8(length & 0xFF)] + block
}

/// The answer for all of `input` at once.
func proxyParse(_ input: [UInt8]) -> ProxyProtocolParser.Result {
    input.withUnsafeBytes { ProxyProtocolParser.parse($0) }
}

/// Appends `chunks` one after the other to one buffer, asking the parser after each append,
/// as a connection would; the first answer other than `.needMore` is the outcome.
func proxyFeed(_ chunks: [ArraySlice<UInt8>]) -> ProxyProtocolParser.Result {
    var buffer = ByteBuffer()
    for chunk in chunks {
        buffer.writeBytes(chunk)
        let result = ProxyProtocolParser.parse(buffer)
        if result != .needMore { return result }
    }
    return .needMore
}

/// Feeds `input` whole, byte by byte and cut in two at every position (`splitPoints`);
/// expects the same outcome every time, and `consumed` within the input, and returns it.
func proxyFeedAllWays(_ input: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> ProxyProtocolParser.Result {
    let whole = proxyFeed([input[...]])
    #expect(proxyFeed(input.indices.map { input[$0...$0] }) == whole, "byte by byte", sourceLocation: sourceLocation)
    for split in splitPoints(count: input.count) {
        let twoPieces = proxyFeed([input[..<split], input[split...]])
        if twoPieces != whole {
            Issue.record("split at \(split): \(twoPieces) instead of \(whole)", sourceLocation: sourceLocation)
            break
        }
    }
    if case .header(_, let consumed) = whole {
        #expect(consumed <= input.count, sourceLocation: sourceLocation)
    }
    return whole
}

/// Expects every proper prefix of `header` (a complete header) to need more bytes.
func expectEveryPrefixNeedsMore(_ header: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
    for count in 0..<header.count where proxyParse(Array(header.prefix(count))) != .needMore {
        Issue.record("\(count) bytes: \(proxyParse(Array(header.prefix(count))))", sourceLocation: sourceLocation)
        return
    }
}

/// The header a `.header` answer carries.
extension ProxyProtocolParser.Result {
    var header: ProxyHeader? {
        if case .header(let header, _) = self { return header }
        return nil
    }
}
