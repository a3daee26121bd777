// MARK: - the human-readable header, version 1 (section 2.1)

extension ProxyProtocolParser {
    private static let cr: UInt8 = 0x0D
    private static let lf: UInt8 = 0x0A
    private static let space: UInt8 = 0x20
    private static let tcp4: [UInt8] = Array("TCP4 ".utf8)
    private static let tcp6: [UInt8] = Array("TCP6 ".utf8)
    private static let unknown: [UInt8] = Array("UNKNOWN".utf8)

    /// Parses a v1 line; `bytes` starts with `PROXY `.
    ///
    /// Every answer depends only on the bytes up to the first CR or LF (or the 107th byte), and
    /// the checks run in one order, so the answer is the same however the line was cut.
    static func parseText(_ bytes: UnsafeRawBufferPointer) -> Result {
        let start = v1Signature.count
        let scanned = min(bytes.count, maxV1HeaderBytes)
        let end = (start..<scanned).first { bytes[$0] == cr || bytes[$0] == lf } ?? scanned
        let line = Array(bytes[start..<end])
        if let error = earlyError(line) { return .invalid(error) }
        // "The receiver must wait for the CRLF sequence before starting to decode the addresses
        // [...] If the CRLF sequence is not found in the first 107 characters, the receiver
        // should declare the line invalid. [...] The receiver must not tolerate a single CR or
        // LF character to end the line when a complete CRLF sequence is expected."
        guard end < scanned else { return scanned == maxV1HeaderBytes ? .invalid(.lineTooLong) : .needMore }
        guard bytes[end] == cr else { return .invalid(.malformedLine) }
        guard end + 1 < maxV1HeaderBytes else { return .invalid(.lineTooLong) }
        guard end + 1 < bytes.count else { return .needMore }
        guard bytes[end + 1] == lf else { return .invalid(.malformedLine) }
        return parseLine(line, consumed: end + 2)
    }

    /// Refuses a line whose start already cannot become valid (`PROXY GET`, binary junk)
    /// instead of waiting for 107 bytes: "It is recommended to abort the connection as soon as
    /// possible so that the sender gets a chance to notice the anomaly and log it." A check
    /// that fails on some bytes fails the same way on any longer line.
    private static func earlyError(_ partial: [UInt8]) -> ProxyProtocolError? {
        let families = [tcp4, tcp6, unknown]
        guard families.contains(where: { family in zip(partial, family).allSatisfy { $0 == $1 } }) else {
            return .unknownFamily
        }
        if partial.starts(with: unknown) {
            // "For "UNKNOWN", the rest of the line before the CRLF may be omitted by the sender,
            // and the receiver must ignore anything presented before the CRLF is found."
            return partial.count > unknown.count && partial[unknown.count] != space ? .unknownFamily : nil
        }
        guard partial.starts(with: tcp4) || partial.starts(with: tcp6) else { return nil }
        return partial.dropFirst(tcp4.count).allSatisfy(isTextAddressByte) ? nil : .malformedLine
    }

    /// The bytes of the rest of a TCP4 or TCP6 line: hex digits, dots, colons and spaces.
    private static func isTextAddressByte(_ byte: UInt8) -> Bool {
        hexDigitValue(byte) != nil || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":") || byte == space
    }

    /// Parses the whole line between `PROXY ` and CRLF, whose start passed `earlyError`.
    private static func parseLine(_ line: [UInt8], consumed: Int) -> Result {
        if line.starts(with: unknown) {
            // "If the announced transport protocol is "UNKNOWN", then the receiver [...] SHOULD
            // accept the connection and use the real connection's parameters".
            return .header(ProxyHeader(version: .v1, endpoints: nil), consumed: consumed)
        }
        // "PROXY" SP family SP source SP destination SP source-port SP destination-port:
        // "exactly one space" between the fields, so an empty field is an error.
        let fields = line.split(separator: space, omittingEmptySubsequences: false)
        guard fields.count == 5, !fields.contains(where: \.isEmpty) else { return .invalid(.malformedLine) }
        let isIPv6 = line.starts(with: tcp6)
        // "The advertised protocol family dictates what format to use", for both addresses.
        let source = isIPv6 ? ipv6Text(fields[1]) : ipv4Text(fields[1])
        let destination = isIPv6 ? ipv6Text(fields[2]) : ipv4Text(fields[2])
        guard let source, let destination else { return .invalid(.invalidAddress) }
        guard let sourcePort = portText(fields[3]), let destinationPort = portText(fields[4]) else {
            return .invalid(.invalidPort)
        }
        let endpoints = isIPv6
            ? ProxyHeader.Endpoints(source: .ipv6(source, port: sourcePort), destination: .ipv6(destination, port: destinationPort))
            : ProxyHeader.Endpoints(source: .ipv4(source, port: sourcePort), destination: .ipv4(destination, port: destinationPort))
        return .header(ProxyHeader(version: .v1, endpoints: endpoints), consumed: consumed)
    }
}
