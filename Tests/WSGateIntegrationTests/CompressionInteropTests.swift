import Glibc
import Testing
import WSGateTestSupport

/// Debian's python3-websockets, as /usr/bin/python3 loads it.
private let pythonWebsockets = "/usr/lib/python3/dist-packages/websockets/__init__.py"

extension Trait where Self == ConditionTrait {
    /// Where `file` (of Debian's `package`) is installed, and always under `CI=true` (where a
    /// missing one fails).
    static func clientInstalled(_ file: String, package: String) -> Self {
        .enabled(if: access(file, F_OK) == 0 || ReferencePeer.isCI,
                 "\(package) is not installed (with CI=true this suite fails instead)")
    }
}

/// The client scripts in Tests/Fixtures/Compression.
enum InteropClient {
    static let directory = Executables.packageRoot + "/Tests/Fixtures/Compression"

    /// Runs a client to its end (bounded) and returns its stdout; a non-zero exit fails the test.
    static func run(_ path: String, _ arguments: [String], environment: [String]? = nil) throws -> String {
        let client = try ChildProcess(path: path, arguments: arguments, environment: environment)
        let status = try client.waitForExit(timeout: 60)
        #expect(status == 0, "\(client.standardOutput)\(client.standardError)")
        return client.standardOutput
    }

    /// The value of the first `name: value` line in `output`.
    static func line(_ name: String, in output: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix(name + ": ") }.map { String($0.dropFirst(name.count + 2)) }
    }
}

/// `--compress` against Python's `websockets`, which offers permessage-deflate by default: what
/// a real client negotiates, that its messages come back exactly, and that large ones really
/// travel compressed (bytes counted on the wire).
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread, .clientInstalled(pythonWebsockets, package: "python3-websockets"))
struct PythonCompressionInteropTests {
    static func python(_ mode: String, _ gateway: GatewayProcess) throws -> String {
        try InteropClient.run("/usr/bin/python3",
                              [InteropClient.directory + "/websockets_client.py", mode, String(gateway.port)])
    }

    /// 200 JSON-like texts (10 B … 64 KiB) and 20 binary messages, each echoed exactly; a
    /// smaller window is stated in the answer and the client keeps to it.
    @Test(arguments: [
        ([String](), "permessage-deflate; client_no_context_takeover"),
        (["--compress-window-bits=9", "--compress-min-size=0"],
         "permessage-deflate; client_no_context_takeover; server_max_window_bits=9"),
    ])
    func messagesOfEverySizeRoundTripExactly(flags: [String], answer: String) throws {
        let gateway = try GatewayProcess(["--echo", "--compress"] + flags)
        let output = try Self.python("echo", gateway)
        #expect(InteropClient.line("extensions", in: output) == answer)
        #expect(InteropClient.line("round trips", in: output) == "220 exact (200 text, 20 binary)", "\(output)")
    }

    /// Line mode: several lines in one compressed message reach `cat` as lines and come back
    /// one message each.
    @Test func linesThroughCatComeBackOneByOne() throws {
        let gateway = try GatewayProcess(["--compress", "/bin/cat"])
        let output = try Self.python("lines", gateway)
        #expect(InteropClient.line("extensions", in: output)?.hasPrefix("permessage-deflate") == true)
        #expect(InteropClient.line("lines", in: output) == "6 exact", "\(output)")
    }

    /// One repetitive 64 KiB JSON message and its echo, counted by a relay in the client
    /// script: with `--compress` both directions take at least 3× fewer bytes than without.
    @Test func aLargeRepetitiveMessageTakesAThirdOfTheBytesOrFewer() throws {
        func bytes(_ flags: [String]) throws -> (up: Int, down: Int, extensions: String?) {
            let output = try Self.python("count", try GatewayProcess(["--echo"] + flags))
            let counts = (InteropClient.line("bytes", in: output) ?? "").split(separator: " ").compactMap { Int($0) }
            try #require(counts.count == 2, "\(output)")
            return (counts[0], counts[1], InteropClient.line("extensions", in: output))
        }
        let compressed = try bytes(["--compress"])
        let plain = try bytes([])
        #expect(compressed.extensions?.hasPrefix("permessage-deflate") == true)
        #expect(plain.extensions == "None")
        #expect(plain.down > 65536 && plain.up > 65536)
        #expect(compressed.down * 3 <= plain.down, "gateway to client: \(compressed.down) vs \(plain.down) bytes")
        #expect(compressed.up * 3 <= plain.up, "client to gateway: \(compressed.up) vs \(plain.up) bytes")
    }
}
