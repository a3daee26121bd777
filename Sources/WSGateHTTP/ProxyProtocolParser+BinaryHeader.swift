// MARK: - the binary header, version 2 (section 2.2)

extension ProxyProtocolParser {
    /// The 16 fixed bytes: signature, version and command, family and protocol, length.
    static let v2FixedBytes = 16

    /// What the 14th byte announces. "In practice, the following protocol bytes are expected"
    /// lists seven; "A receiver is not required to implement other ones, provided that it
    /// automatically falls back to the UNSPEC mode for the valid combinations above that it
    /// does not support." TCP over IPv4 and IPv6 give endpoints; UDP and UNIX fall back to
    /// UNSPEC (their addresses are skipped, the TLVs after them still checked); any other byte
    /// is refused, as nibbles that "must be rejected as invalid by receivers" or a combination
    /// outside that list.
    enum AddressFamily: Equatable {
        /// \x00: "The receiver should ignore address information."
        case unspecified
        /// \x11: "Address length is 2*4 + 2*2 = 12 bytes."
        case tcp4
        /// \x21: "Address length is 2*16 + 2*2 = 36 bytes."
        case tcp6
        /// \x12 and \x22 (UDP), \x31 and \x32 (UNIX, "2*108 = 216 bytes"): skipped.
        case unsupported(addressBytes: Int)

        init?(_ byte: UInt8) {
            switch byte {
            case 0x00: self = .unspecified
            case 0x11: self = .tcp4
            case 0x21: self = .tcp6
            case 0x12: self = .unsupported(addressBytes: 12)
            case 0x22: self = .unsupported(addressBytes: 36)
            case 0x31, 0x32: self = .unsupported(addressBytes: 216)
            default: return nil
            }
        }

        /// How many bytes of the block the addresses take (0 for UNSPEC: nothing is read).
        var addressBytes: Int {
            switch self {
            case .unspecified: return 0
            case .tcp4: return 12
            case .tcp6: return 36
            case .unsupported(let addressBytes): return addressBytes
            }
        }
    }

    /// Parses a v2 header; `bytes` starts with the 12-byte signature. Each field is checked as
    /// soon as it has arrived (and the length before anything is buffered for it); the
    /// addresses only once the whole header has: "The receiver must not start to parse an
    /// address before the whole address block is received."
    static func parseBinary(_ bytes: UnsafeRawBufferPointer) -> Result {
        guard bytes.count > 12 else { return .needMore }
        // "The highest four bits contains the version. As of this specification, it must always
        // be sent as \x2 and the receiver must only accept this value."
        guard bytes[12] >> 4 == 2 else { return .invalid(.unsupportedVersion) }
        // "\x0 : LOCAL [...] \x1 : PROXY [...] Receivers must drop connections presenting
        // unexpected values here."
        let command = bytes[12] & 0x0F
        guard command <= 1 else { return .invalid(.unknownCommand) }
        let isLocal = command == 0
        guard bytes.count > 13 else { return .needMore }
        guard let family = AddressFamily(bytes[13]) else { return .invalid(.unknownAddressFamily) }
        guard bytes.count >= v2FixedBytes else { return .needMore }
        // "the length of the protocol header in bytes is always exactly 16 + this value."
        let length = Int(bytes[14]) << 8 | Int(bytes[15])
        let total = v2FixedBytes + length
        guard total <= maxV2HeaderBytes else { return .invalid(.headerTooLarge) }
        // LOCAL: "discard the protocol block including the family which is ignored".
        guard isLocal || length >= family.addressBytes else { return .invalid(.addressBlockTooShort) }
        guard bytes.count >= total else { return .needMore }

        let block = UnsafeRawBufferPointer(rebasing: bytes[v2FixedBytes..<total])
        // LOCAL: the block is skipped whole ("Receivers MUST always consider this field to
        // skip the appropriate number of bytes"); so is UNSPEC's, whose layout is unknown.
        if isLocal || family == .unspecified {
            return .header(ProxyHeader(version: .v2, endpoints: nil), consumed: total)
        }
        guard tlvsFit(UnsafeRawBufferPointer(rebasing: block[family.addressBytes...])) else {
            return .invalid(.malformedTLV)
        }
        return .header(ProxyHeader(version: .v2, endpoints: endpoints(family, block)), consumed: total)
    }

    /// Whether `bytes` is a sequence of whole TLVs: "The first byte is the Type of the vector.
    /// The second two bytes represent the length in bytes of the value [...] and following the
    /// length field is the number of bytes specified by the length." Types are not read:
    /// "A receiver may choose to skip over and ignore the TLVs it is not interested in".
    private static func tlvsFit(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            guard bytes.count - offset >= 3 else { return false }
            let valueLength = Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2])
            offset += 3 + valueLength
        }
        return offset == bytes.count
    }

    /// The endpoints in a complete address block of TCP over IPv4 or IPv6: "source layer 3
    /// address [...] destination layer 3 address [...] source layer 4 address if any [...]
    /// destination layer 4 address if any, in network byte order (port)".
    private static func endpoints(_ family: AddressFamily, _ block: UnsafeRawBufferPointer) -> ProxyHeader.Endpoints? {
        func port(at offset: Int) -> UInt16 { UInt16(block[offset]) << 8 | UInt16(block[offset + 1]) }
        switch family {
        case .tcp4:
            return ProxyHeader.Endpoints(source: .ipv4(Array(block[0..<4]), port: port(at: 8)),
                                         destination: .ipv4(Array(block[4..<8]), port: port(at: 10)))
        case .tcp6:
            return ProxyHeader.Endpoints(source: .ipv6(Array(block[0..<16]), port: port(at: 32)),
                                         destination: .ipv6(Array(block[16..<32]), port: port(at: 34)))
        case .unspecified, .unsupported:
            return nil
        }
    }
}
