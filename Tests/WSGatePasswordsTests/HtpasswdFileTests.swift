import Testing
import WSGatePasswords

@Suite struct HtpasswdFileTests {
    private func parse(_ text: String, limits: HtpasswdLimits = HtpasswdLimits()) throws(HtpasswdError) -> HtpasswdFile {
        try HtpasswdFile(parsing: Array(text.utf8), limits: limits)
    }

    private func problems(_ text: String) -> [HtpasswdLineProblem] {
        do {
            _ = try parse(text)
            return []
        } catch {
            guard case .badLines(let problems) = error else { return [] }
            return problems
        }
    }

    @Test func goodFileWithCommentsBlankLinesAndCRLF() throws {
        let file = try parse("# users\r\n\r\nalice:\(TestHashes.alice)\r\n   \n\t# indented comment\nbob:\(TestHashes.bob)  \ncarol:\(TestHashes.carol)")
        #expect(file.count == 3)
        #expect(file.entry(for: "alice".utf8) == HtpasswdEntry(hash: Array(TestHashes.alice.utf8), scheme: .bcrypt))
        #expect(file.entry(for: "bob".utf8)?.scheme == .sha512Crypt)
        #expect(file.entry(for: "carol".utf8)?.scheme == .sha256Crypt)
        #expect(file.entry(for: "Alice".utf8) == nil)
        #expect(file.decoy?.hash == Array(TestHashes.alice.utf8))
    }

    @Test func emptyFileHasNoUsers() throws {
        #expect(try parse("").count == 0)
        #expect(try parse("# nobody\n\n").decoy == nil)
    }

    @Test func theFirstOfTwoEntriesWins() throws {
        let file = try parse("bob:\(TestHashes.bob)\nbob:\(TestHashes.alice)\n")
        #expect(file.count == 1)
        #expect(file.entry(for: "bob".utf8)?.hash == Array(TestHashes.bob.utf8))
    }

    @Test func everyBadLineIsReportedWithItsNumber() {
        let found = problems("alice:\(TestHashes.alice)\nnocolon\n:\(TestHashes.bob)\nx:\(TestHashes.bob):extra\nbel\u{7}:\(TestHashes.bob)\n")
        #expect(found == [HtpasswdLineProblem(line: 2, reason: .noColon), HtpasswdLineProblem(line: 3, reason: .emptyUser),
                          HtpasswdLineProblem(line: 4, reason: .extraField), HtpasswdLineProblem(line: 5, reason: .badUserName)])
        #expect(found.first?.description == "line 2: no ':' between user and hash")
    }

    @Test func aUserNameThatIsNotUTF8IsRefused() {
        var bytes = Array("x".utf8) + [0xFF] + Array(":\(TestHashes.bob)".utf8)
        #expect(throws: HtpasswdError.badLines([HtpasswdLineProblem(line: 1, reason: .badUserName)])) {
            try HtpasswdFile(parsing: bytes)
        }
        bytes = Array("zoë:\(TestHashes.bob)".utf8)
        #expect((try? HtpasswdFile(parsing: bytes))?.entry(for: "zoë".utf8) != nil)
    }

    @Test(arguments: [
        ("u:$apr1$x3ZBRD4o$9SVLCFtN7zcyeuyIu0iUR1", PasswordHashProblem.weak("Apache MD5 ($apr1$)")),
        ("u:$1$saltsalt$qjXMvbEw8oaL.CzflDugX/", .weak("MD5-crypt ($1$)")),
        ("u:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", .weak("unsalted SHA-1 ({SHA})")),
        ("u:abJnggxhB/yWI", .weak("DES crypt")),
        ("u:secret", .plainText),
        ("u:", .plainText),
        ("u:$y$j9T$salt$hash", .unsupported("$y$")),
    ])
    func weakAndUnsupportedHashesAreRefused(line: String, problem: PasswordHashProblem) {
        #expect(problems(line) == [HtpasswdLineProblem(line: 1, reason: .hash(problem))])
        #expect(problem.description.contains("htpasswd -B"))
        #expect(problem.description.contains("mkpasswd -m sha-512"))
    }

    @Test(arguments: [
        String(TestHashes.alice.dropLast()),                             // too short
        TestHashes.alice.replacingOccurrences("$05$", "$03$"),           // cost below 4
        TestHashes.alice.replacingOccurrences("$05$", "$15$"),           // cost above the cap
        TestHashes.alice.replacingOccurrences("wsgate", "wsg!te"),       // outside the alphabet
        TestHashes.bob + "x",                                            // hash part too long
        TestHashes.bob.replacingOccurrences("$6$", "$6$rounds=999$"),    // too few rounds
        TestHashes.bob.replacingOccurrences("$6$", "$6$rounds=01000$"),  // leading zero
        TestHashes.bob.replacingOccurrences("$6$", "$6$rounds=2000000$"), // above the cap
        "$6$$" + String(repeating: "a", count: 86),                      // empty salt
        "$6$" + String(repeating: "s", count: 17) + "$" + String(repeating: "a", count: 86), // salt too long
        TestHashes.carol.replacingOccurrences("$5$rounds=2000$", "$5$"),  // still well formed
    ])
    func malformedSupportedHashesAreRefused(hash: String) {
        let found = problems("u:\(hash)")
        if hash.hasPrefix("$5$wsgatecarol") {
            #expect(found.isEmpty)
        } else {
            #expect(found.count == 1)
            if case .hash(.malformed) = found.first?.reason {} else { Issue.record("not malformed: \(found)") }
        }
    }

    @Test func theSizeAndLineCapsRefuseTheFile() {
        let line = "alice:\(TestHashes.alice)\n"
        let limits = HtpasswdLimits(maxBytes: line.utf8.count * 3, maxLines: 3)
        #expect((try? parse(line + line + line, limits: limits)) != nil)
        #expect(throws: HtpasswdError.tooLarge(limit: line.utf8.count * 3)) { try parse(line + line + line + "#", limits: limits) }
        #expect(throws: HtpasswdError.tooManyLines(limit: 3)) { try parse("\n\n\n\n", limits: limits) }
        #expect((try? parse("\n\n\n", limits: limits)) != nil)
    }

    @Test func theDescriptionNamesTheFirstFiveBadLines() {
        let error = HtpasswdError.badLines((1...7).map { HtpasswdLineProblem(line: $0, reason: .noColon) })
        #expect(error.description.hasPrefix("line 1: no ':'"))
        #expect(error.description.hasSuffix("and 2 more bad lines"))
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
