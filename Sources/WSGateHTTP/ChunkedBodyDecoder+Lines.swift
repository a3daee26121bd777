// MARK: - chunk-size lines and the trailer section, one byte at a time (RFC 9112 §7.1)

extension ChunkedBodyDecoder {
    /// Reads one byte of `chunk-size [ chunk-ext ] CRLF`, where (RFC 9112 §7.1.1)
    ///
    ///     chunk-ext     = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
    ///     chunk-ext-val = token / quoted-string
    ///
    /// BWS is whitespace a sender must not write but a recipient must accept; it is accepted
    /// exactly where the grammar has it, so `5 CRLF` and `5;a CRLF` with a space before CR are
    /// refused.
    mutating func readChunkLineByte(_ byte: UInt8) throws(HTTPParseError) {
        let isWhitespace = HTTPGrammar.isWhitespace(byte)
        switch state {
        case .chunkSize:
            if let digit = Self.hexDigitValue(byte) {
                chunkSizeDigits += 1
                // Refuse absurdly long sizes and anything above Int.max, leading zeros or not.
                guard chunkSizeDigits <= Self.maxChunkSizeDigits else { throw .invalidChunkSize }
                let (shifted, overflow1) = chunkSize.multipliedReportingOverflow(by: 16)
                let (sum, overflow2) = shifted.addingReportingOverflow(digit)
                guard !overflow1, !overflow2 else { throw .invalidChunkSize }
                chunkSize = sum
                return
            }
            // chunk-size = 1*HEXDIG: no sign, no "0x", no leading or embedded whitespace.
            guard chunkSizeDigits > 0 else { throw .invalidChunkSize }
            if byte == Self.semicolon {
                state = .extensionNameStart
            } else if isWhitespace {
                state = .spaceBeforeSemicolon
            } else {
                try endOfChunkLine(byte, else: .invalidChunkSize)
            }
        case .spaceBeforeSemicolon:
            if isWhitespace { return }
            guard byte == Self.semicolon else { throw .invalidChunkExtension }
            state = .extensionNameStart
        case .extensionNameStart:
            if isWhitespace { return }
            guard HTTPGrammar.isTokenChar(byte) else { throw .invalidChunkExtension }
            state = .extensionName
        case .extensionName:
            if HTTPGrammar.isTokenChar(byte) { return }
            if isWhitespace {
                state = .spaceAfterExtensionName
            } else if byte == Self.equalsSign {
                state = .extensionValueStart
            } else if byte == Self.semicolon {
                state = .extensionNameStart
            } else {
                try endOfChunkLine(byte, else: .invalidChunkExtension)
            }
        case .spaceAfterExtensionName:
            if isWhitespace { return }
            if byte == Self.equalsSign {
                state = .extensionValueStart
            } else if byte == Self.semicolon {
                state = .extensionNameStart
            } else {
                throw .invalidChunkExtension
            }
        case .extensionValueStart:
            if isWhitespace { return }
            if byte == Self.quote {
                state = .extensionQuotedString
            } else if HTTPGrammar.isTokenChar(byte) {
                state = .extensionToken
            } else {
                throw .invalidChunkExtension
            }
        case .extensionToken, .afterExtensionQuotedString:
            if state == .extensionToken && HTTPGrammar.isTokenChar(byte) { return }
            if isWhitespace {
                state = .spaceBeforeSemicolon
            } else if byte == Self.semicolon {
                state = .extensionNameStart
            } else {
                try endOfChunkLine(byte, else: .invalidChunkExtension)
            }
        case .extensionQuotedString:
            // RFC 9110 §5.6.4: qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text.
            if byte == Self.quote {
                state = .afterExtensionQuotedString
            } else if byte == Self.backslash {
                state = .extensionQuotedPair
            } else if !HTTPGrammar.isFieldValueByte(byte) {
                throw .invalidChunkExtension
            }
        case .extensionQuotedPair:
            // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ).
            guard HTTPGrammar.isFieldValueByte(byte) else { throw .invalidChunkExtension }
            state = .extensionQuotedString
        case .chunkLineLF:
            guard byte == HTTPGrammar.lf else { throw .invalidChunkedBody }
            endChunkLine()
        default:
            preconditionFailure("not in a chunk-size line")
        }
    }

    /// Reads one byte of `trailer-section = *( field-line CRLF )` and the CRLF that ends the
    /// body (RFC 9112 §7.1.2). The fields are discarded, but each line must be a field line:
    /// `token ":" field-value` without obs-fold, with the head's errors.
    mutating func readTrailerByte(_ byte: UInt8) throws(HTTPParseError) {
        switch state {
        case .trailerLineStart:
            if byte == HTTPGrammar.cr {
                state = .finalLF
            } else if byte == HTTPGrammar.lf {
                throw .bareLineFeed
            } else if HTTPGrammar.isWhitespace(byte) {
                // RFC 9112 §5.2: obs-fold is refused here as in the head.
                throw .obsoleteLineFolding
            } else if HTTPGrammar.isTokenChar(byte) {
                state = .trailerName
            } else {
                throw .invalidHeaderName
            }
        case .trailerName:
            if HTTPGrammar.isTokenChar(byte) { return }
            if byte == HTTPGrammar.colon {
                state = .trailerValue
            } else if HTTPGrammar.isWhitespace(byte) {
                state = .trailerSpaceAfterName
            } else if byte == HTTPGrammar.cr {
                throw .malformedHeaderLine
            } else if byte == HTTPGrammar.lf {
                throw .bareLineFeed
            } else {
                throw .invalidHeaderName
            }
        case .trailerSpaceAfterName:
            if HTTPGrammar.isWhitespace(byte) { return }
            // RFC 9112 §5.1: no whitespace between the field name and the colon.
            if byte == HTTPGrammar.colon { throw .whitespaceBeforeColon }
            throw .invalidHeaderName
        case .trailerValue:
            if byte == HTTPGrammar.cr {
                state = .trailerLineLF
            } else if byte == HTTPGrammar.lf {
                throw .bareLineFeed
            } else if !HTTPGrammar.isFieldValueByte(byte) {
                throw .invalidHeaderValue
            }
        case .trailerLineLF:
            // A CR inside a value is a control byte like any other (RFC 9110 §5.5).
            guard byte == HTTPGrammar.lf else { throw .invalidHeaderValue }
            state = .trailerLineStart
        case .finalLF:
            guard byte == HTTPGrammar.lf else { throw .invalidChunkedBody }
            state = .complete
        default:
            preconditionFailure("not in the trailer section")
        }
    }

    /// A CR ends the chunk-size line (its LF must follow); a bare LF is refused; any other byte
    /// is the `error` of the part of the line being read.
    private mutating func endOfChunkLine(_ byte: UInt8, else error: HTTPParseError) throws(HTTPParseError) {
        if byte == HTTPGrammar.cr {
            state = .chunkLineLF
        } else if byte == HTTPGrammar.lf {
            throw .bareLineFeed
        } else {
            throw error
        }
    }

    /// `HEXDIG = DIGIT / "A" / "B" / "C" / "D" / "E" / "F"`, any case (RFC 5234 B.1 is
    /// case-insensitive).
    private static func hexDigitValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(byte - UInt8(ascii: "A")) + 10
        default: return nil
        }
    }

    /// ";" starts a chunk extension.
    private static let semicolon = UInt8(ascii: ";")
    /// "=" separates an extension's name from its value.
    private static let equalsSign = UInt8(ascii: "=")
    /// DQUOTE delimits a quoted-string (RFC 9110 §5.6.4).
    private static let quote = UInt8(ascii: "\"")
    /// "\" starts a quoted-pair inside a quoted-string.
    private static let backslash = UInt8(ascii: "\\")
}
