import WSGateTestSupport

/// The two servers a differential scenario runs against.
///
/// Why it exists: every scenario runs once per case, started the same way (same flags, same
/// program, same environment, same client actions), so the test body only states what to do
/// and which difference docs/behaviour.md allows.
enum Peer: String, CaseIterable, CustomStringConvertible, Sendable {
    /// Debian's websocketd 0.4.1, the reference.
    case websocketd
    /// The server under test.
    case wsgate

    var description: String { rawValue }

    /// The environment both servers get: websocketd passes programs only PATH and
    /// LD_LIBRARY_PATH by default, so both servers see the same two (plus one variable that
    /// must not leak to the program).
    static let environment = [
        "PATH=/usr/local/bin:/usr/bin:/bin",
        "LD_LIBRARY_PATH=/opt/wsgate-differential/lib",
        "WSGATE_DIFFERENTIAL_SECRET=must-not-leak",
    ]

    /// The command line running `wsgate-testcmd MODE ARGS…`.
    static func testcmd(_ arguments: String...) -> [String] {
        [Executables.path("wsgate-testcmd")] + arguments
    }
}
