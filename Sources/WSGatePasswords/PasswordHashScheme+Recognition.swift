extension PasswordHashScheme {
    /// The scheme of `hash`, after checking its whole shape, or why it is refused.
    static func recognize(_ hash: ArraySlice<UInt8>) -> Result<PasswordHashScheme, PasswordHashProblem> {
        let text = String(decoding: hash, as: UTF8.self)
        for prefix in ["$2y$", "$2b$", "$2a$"] where text.hasPrefix(prefix) {
            return checkBcrypt(Array(hash.dropFirst(4))).map { .bcrypt }
        }
        if text.hasPrefix("$5$") { return checkShaCrypt(Array(hash.dropFirst(3)), .sha256Crypt, length: 43) }
        if text.hasPrefix("$6$") { return checkShaCrypt(Array(hash.dropFirst(3)), .sha512Crypt, length: 86) }
        if text.hasPrefix("$apr1$") { return .failure(.weak("Apache MD5 ($apr1$)")) }
        if text.hasPrefix("$1$") { return .failure(.weak("MD5-crypt ($1$)")) }
        if text.hasPrefix("{SHA}") { return .failure(.weak("unsalted SHA-1 ({SHA})")) }
        if text.hasPrefix("$") {
            let id = text.dropFirst().prefix { $0 != "$" }
            return .failure(.unsupported("$\(id.prefix(16))$"))
        }
        if hash.count == 13 && hash.allSatisfy(isCryptCharacter) { return .failure(.weak("DES crypt")) }
        return .failure(.plainText)
    }

    /// `NN$` and 53 characters (22 of salt, 31 of hash), cost 04 up to the maximum.
    private static func checkBcrypt(_ rest: [UInt8]) -> Result<Void, PasswordHashProblem> {
        guard rest.count == 56, rest[2] == UInt8(ascii: "$"), let cost = decimal(rest[0..<2]) else {
            return .failure(.malformed(.bcrypt, "expected $2y$NN$ and 53 characters (60 in all)"))
        }
        guard (4...maximumBcryptCost).contains(cost) else {
            return .failure(.malformed(.bcrypt, "cost \(cost) outside 4...\(maximumBcryptCost)"))
        }
        guard rest[3...].allSatisfy(isCryptCharacter) else {
            return .failure(.malformed(.bcrypt, "a character outside ./0-9A-Za-z"))
        }
        return .success(())
    }

    /// `[rounds=N$]salt$hash`: salt 1 to 16 characters, hash `length` characters.
    private static func checkShaCrypt(_ rest: [UInt8], _ scheme: PasswordHashScheme,
                                      length: Int) -> Result<PasswordHashScheme, PasswordHashProblem> {
        var fields = rest.split(separator: UInt8(ascii: "$"), omittingEmptySubsequences: false)
        if fields.count == 3, fields[0].starts(with: "rounds=".utf8) {
            let rounds = decimal(fields[0].dropFirst(7))
            guard let rounds, (1000...maximumShaCryptRounds).contains(rounds), fields[0].dropFirst(7).first != UInt8(ascii: "0") else {
                return .failure(.malformed(scheme, "rounds must be 1000...\(maximumShaCryptRounds)"))
            }
            fields.removeFirst()
        }
        guard fields.count == 2, (1...16).contains(fields[0].count), fields[1].count == length,
              fields.allSatisfy({ $0.allSatisfy(isCryptCharacter) }) else {
            return .failure(.malformed(scheme, "expected [rounds=N$]salt$ and \(length) characters of ./0-9A-Za-z"))
        }
        return .success(scheme)
    }

    /// The value of 1 to 9 ASCII digits, else nil.
    private static func decimal(_ digits: ArraySlice<UInt8>) -> Int? {
        guard (1...9).contains(digits.count) else { return nil }
        var value = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return value
    }

    /// The crypt alphabet: `./0-9A-Za-z`.
    static func isCryptCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"): true
        default: false
        }
    }
}
