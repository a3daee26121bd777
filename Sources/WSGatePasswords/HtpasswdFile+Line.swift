extension HtpasswdFile {
    /// One line's user and entry, nil for a blank or comment line, or why it is bad.
    static func parse(line: ArraySlice<UInt8>) -> Result<([UInt8], HtpasswdEntry), HtpasswdLineProblem.Reason>? {
        let text = trimmed(line)
        guard let first = text.first, first != UInt8(ascii: "#") else { return nil }
        guard let colon = text.firstIndex(of: UInt8(ascii: ":")) else { return .failure(.noColon) }
        let user = text[..<colon]
        let hash = text[(colon + 1)...]
        guard !user.isEmpty else { return .failure(.emptyUser) }
        guard user.allSatisfy({ $0 >= 0x20 && $0 != 0x7F }), String(validating: user, as: UTF8.self) != nil else {
            return .failure(.badUserName)
        }
        guard !hash.contains(UInt8(ascii: ":")) else { return .failure(.extraField) }
        switch PasswordHashScheme.recognize(hash) {
        case .success(let scheme): return .success((Array(user), HtpasswdEntry(hash: Array(hash), scheme: scheme)))
        case .failure(let problem): return .failure(.hash(problem))
        }
    }

    /// `line` without leading and trailing spaces, tabs and CRs.
    private static func trimmed(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0D }
        guard let start = line.firstIndex(where: { !isSpace($0) }), let end = line.lastIndex(where: { !isSpace($0) }) else {
            return []
        }
        return line[start...end]
    }
}
