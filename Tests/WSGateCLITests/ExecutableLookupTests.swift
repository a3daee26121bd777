import Testing
@testable import WSGateCLI

@Suite(.timeLimit(.minutes(10))) struct ExecutableLookupTests {
    static let executables: Set = ["/usr/bin/cat", "/bin/cat", "/bin/ls", "./x.sh", "/cat", "cat", "/opt/bin/tool"]
    /// Files that exist without an execute permission.
    static let plainFiles: Set = ["./plain.sh", "/srv/plain.sh", "/usr/local/bin/tool", "/usr/local/bin/cat", "notes"]

    static let cases: [(name: String, path: String, expected: ExecutableLookup.Outcome)] = [
        ("cat", "/usr/bin:/bin", .found("/usr/bin/cat")),
        ("cat", "/bin:/usr/bin", .found("/bin/cat")),
        ("cat", "/bin/:/usr/bin", .found("/bin/cat")),
        ("ls", "/usr/bin:/bin", .found("/bin/ls")),
        ("cat", "/", .found("/cat")),
        ("cat", "", .notFound),
        ("cat", ":.:relative", .notFound),
        ("nosuch", "/usr/bin:/bin", .notFound),
        ("./x.sh", "", .found("./x.sh")),
        ("./y.sh", "/usr/bin", .notFound),
        ("/usr/bin/cat", "", .found("/usr/bin/cat")),
        ("", "/usr/bin", .notFound),
        // Files that exist but may not be executed.
        ("./plain.sh", "/usr/bin", .notExecutable("./plain.sh")),
        ("/srv/plain.sh", "", .notExecutable("/srv/plain.sh")),
        ("tool", "/usr/local/bin:/usr/bin", .notExecutable("/usr/local/bin/tool")),
        ("tool", "/usr/local/bin:/opt/bin", .found("/opt/bin/tool")),  // an executable later in $PATH wins
        ("cat", "/usr/local/bin:/usr/bin", .found("/usr/bin/cat")),
        ("notes", ".:/usr/bin", .notFound),  // relative entries are never searched
    ]

    @Test(arguments: cases)
    func resolve(_ name: String, _ path: String, _ expected: ExecutableLookup.Outcome) {
        let found = ExecutableLookup.resolve(name, searchPath: path) { candidate in
            Self.executables.contains(candidate) ? .executable
                : Self.plainFiles.contains(candidate) ? .notExecutable : .absent
        }
        #expect(found == expected)
    }
}
