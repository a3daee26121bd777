import Testing
import WSGatePasswords

@Suite struct PasswordVerifierTests {
    private let verifier: PasswordVerifier = {
        let text = "alice:\(TestHashes.alice)\nbob:\(TestHashes.bob)\ncarol:\(TestHashes.carol)\nlong:\(TestHashes.long)\nümit:\(TestHashes.umlaut)\n"
        return PasswordVerifier(file: try! HtpasswdFile(parsing: Array(text.utf8)))
    }()

    private func verify(_ user: String, _ password: String) -> Bool {
        verifier.verify(user: user.utf8, password: password.utf8)
    }

    @Test func theRightPasswordPasses() {
        #expect(verify("alice", "correct horse battery staple"))  // $2y$
        #expect(verify("bob", "hunter2 is fine"))                 // $6$
        #expect(verify("carol", "sha256 pass"))                   // $5$ with rounds
        #expect(verify("ümit", "pässwörd"))                       // UTF-8 user and password
        #expect(verify("long", String(repeating: "a", count: 72)))
    }

    @Test func aWrongPasswordFails() {
        #expect(!verify("alice", "correct horse battery stapl"))
        #expect(!verify("alice", ""))
        #expect(!verify("bob", "hunter2 is fine "))
        #expect(!verify("bob", "correct horse battery staple"))
        #expect(!verify("carol", "SHA256 pass"))
    }

    @Test func anUnknownUserFailsEvenWithTheDecoysPassword() {
        #expect(!verify("mallory", "correct horse battery staple"))
        #expect(!verify("Alice", "correct horse battery staple"))
        #expect(!verify("", ""))
    }

    @Test func aBcryptPasswordOver72BytesIsRefusedNotTruncated() {
        #expect(!verify("long", String(repeating: "a", count: 73)))
        #expect(!verify("alice", "correct horse battery staple" + String(repeating: "x", count: 60)))
    }

    @Test func aPasswordWithANulByteFails() {
        #expect(!verifier.verify(user: "bob".utf8, password: Array("hunter2 is fine".utf8) + [0]))
        #expect(!verifier.verify(user: "bob".utf8, password: Array("hunter2 is fine".utf8) + [0, 0x41]))
    }

    @Test func aVeryLongPasswordFails() {
        #expect(!verify("bob", String(repeating: "p", count: 5000)))
    }

    @Test func aFileWithoutUsersRefusesEveryone() throws {
        let empty = PasswordVerifier(file: try HtpasswdFile(parsing: Array("# none\n".utf8)))
        #expect(!empty.verify(user: "x".utf8, password: "x".utf8))
    }

    @Test func repeatedChecksGiveTheSameAnswers() {
        for _ in 0..<3 {
            #expect(verify("bob", "hunter2 is fine"))
            #expect(!verify("bob", "hunter3"))
        }
    }
}
