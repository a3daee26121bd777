import Testing
@testable import WSGateCLI

@Suite(.timeLimit(.minutes(10))) struct ExecutableLookupTests {
    static let executables: Set = ["/usr/bin/cat", "/bin/cat", "/bin/ls", "./x.sh", "/cat", "cat"]

    static let cases: [(name: String, path: String, expected: String?)] = [
        ("cat", "/usr/bin:/bin", "/usr/bin/cat"),
        ("cat", "/bin:/usr/bin", "/bin/cat"),
        ("cat", "/bin/:/usr/bin", "/bin/cat"),
        ("ls", "/usr/bin:/bin", "/bin/ls"),
        ("cat", "/", "/cat"),
        ("cat", "", nil),
        ("cat", ":.:relative", nil),
        ("nosuch", "/usr/bin:/bin", nil),
        ("./x.sh", "", "./x.sh"),
        ("./y.sh", "/usr/bin", nil),
        ("/usr/bin/cat", "", "/usr/bin/cat"),
        ("", "/usr/bin", nil),
    ]

    @Test(arguments: cases)
    func resolve(_ name: String, _ path: String, _ expected: String?) {
        let found = ExecutableLookup.resolve(name, searchPath: path) { Self.executables.contains($0) }
        #expect(found == expected)
    }
}
