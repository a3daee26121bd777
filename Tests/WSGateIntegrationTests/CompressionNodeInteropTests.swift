import Testing
import WSGateTestSupport

/// Debian's node-ws, as node loads it with NODE_PATH=/usr/share/nodejs.
private let nodeWS = "/usr/share/nodejs/ws/package.json"

/// `--compress` against Node's `ws` (Debian's node-ws), with its default offer and with window
/// sizes and no-context-takeover requested: the exact answer, and 70 exact round trips.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread, .clientInstalled(nodeWS, package: "node-ws"))
struct NodeCompressionInteropTests {
    @Test(arguments: [
        ("true", "permessage-deflate; client_no_context_takeover"),
        (#"{"serverMaxWindowBits":10,"clientMaxWindowBits":10}"#,
         "permessage-deflate; client_no_context_takeover; server_max_window_bits=10; client_max_window_bits=10"),
        (#"{"serverNoContextTakeover":true,"clientNoContextTakeover":true,"serverMaxWindowBits":8}"#,
         "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=8"),
    ])
    func messagesRoundTripExactly(perMessageDeflate: String, answer: String) throws {
        let gateway = try GatewayProcess(["--echo", "--compress"])
        let script = InteropClient.directory + "/ws_client.js"
        let output = try InteropClient.run("/usr/bin/node", [script, String(gateway.port), perMessageDeflate],
                                           environment: ["PATH=/usr/bin:/bin", "NODE_PATH=/usr/share/nodejs"])
        #expect(InteropClient.line("extensions", in: output) == answer)
        #expect(InteropClient.line("names", in: output) == "permessage-deflate")
        #expect(InteropClient.line("round trips", in: output) == "70 exact", "\(output)")
    }
}
