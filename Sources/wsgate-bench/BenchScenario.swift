/// The modes of wsgate-bench: the load scenarios plus the helpers the driver needs.
///
/// Why it exists: one list drives the dispatch, the help text and which options each mode
/// accepts, so an option a mode would ignore is refused instead of silently doing nothing.
enum BenchScenario: String, CaseIterable {
    case connect
    case echo
    case stream
    case idle
    case fanout
    case tcpStream = "tcp-stream"
    case tcpEcho = "tcp-echo"
    case spawnRate = "spawn-rate"

    /// Options every WebSocket client scenario takes.
    private static let clientOptions = ["host", "port", "path", "protocol", "binary", "size", "stall", "tls",
                                        "compress", "payload"]

    /// The option names this mode accepts.
    var options: [String] {
        switch self {
        case .connect: return Self.clientOptions + ["total", "connections"]
        case .echo: return Self.clientOptions + ["connections", "seconds"]
        case .stream: return Self.clientOptions + ["connections", "seconds", "inflight"]
        case .idle: return Self.clientOptions + ["total", "connections", "hold"]
        case .fanout: return Self.clientOptions + ["connections", "slow", "rate", "seconds", "idle", "hold"]
        case .tcpStream: return ["host", "port", "size", "stall", "connections", "seconds", "inflight"]
        case .tcpEcho: return ["host", "port"]
        case .spawnRate: return ["seconds", "program", "inflight"]
        }
    }

    /// The lines `--help` prints for this mode.
    var help: String {
        switch self {
        case .connect:
            return """
              connect     --total=N connections, --connections=C at a time; each: connect, upgrade,
                          one --size message, its echo, close handshake and EOF.
                          Reports conn/s and cycle latency p50/p90/p99/max. (N 2000, C 50, size 64)
            """
        case .echo:
            return """
              echo        C connections each ping-pong one --size message for --seconds.
                          Reports msg/s and round trip p50/p90/p99/max. (C 1, size 64, 5 s)
            """
        case .stream:
            return """
              stream      C connections each keep --inflight=W messages of --size bytes in flight
                          for --seconds; every echoed byte is compared with what was sent.
                          Reports MB/s each way. Use a --binary server. (C 1, W 4, size 65536, 5 s)
            """
        case .idle:
            return """
              idle        open --total=N connections (--connections=C handshakes at a time), one
                          echo each, print `READY`, hold them --hold seconds, close them all.
                          Reports the time until all were up. (N 1000, C 100, hold 5 s)
            """
        case .fanout:
            return """
              fanout      --connections=N clients join one room (--path) of a --broadcast server whose
                          backend is `wsgate-testcmd emit --rate=M --size=S --count=M×D`; once all
                          are in, one sends "go" and the emitter writes M messages/s for --seconds=D.
                          Each client checks the sequence and times each message from the
                          emitter's write. Reports deliveries/s and delay p50/p90/p99/max.
                          --slow=K of the N never read (not counted); --idle: open the N,
                          print `READY`, hold them --hold seconds, close. What is missing after
                          6 × --seconds + --stall is an error. (N 1000, M 100, 5 s, size 64)
            """
        case .tcpStream:
            return """
              tcp-stream  like stream, over plain TCP to an echo server (the TCP ceiling).
            """
        case .tcpEcho:
            return """
              tcp-echo    a TCP echo server on --host:--port (one event loop); runs until killed.
            """
        case .spawnRate:
            return """
              spawn-rate  posix_spawn --program (/bin/cat) with stdin/stdout/stderr pipes, close
                          them, reap it, for --seconds (3), one thread, at most --inflight (1)
                          children alive: the process-per-connection ceiling.
            """
        }
    }

    /// The full `--help` text.
    static var usage: String {
        """
        usage: wsgate-bench SCENARIO [--option=value ...]

        Load scenarios (WebSocket client of the server at --host:--port):
        \(BenchScenario.connect.help)
        \(BenchScenario.echo.help)
        \(BenchScenario.stream.help)
        \(BenchScenario.idle.help)
        \(BenchScenario.fanout.help)

        Helpers:
        \(BenchScenario.tcpStream.help)
        \(BenchScenario.tcpEcho.help)
        \(BenchScenario.spawnRate.help)

        Common options:
          --host=ADDR (127.0.0.1)  --port=P (required)  --path=/  --size=BYTES
          --binary          send binary messages (default: text, letters only, no newline)
          --protocol=NAME   offer this subprotocol (websockify wants `binary`)
          --stall=SECONDS   a connection with an unanswered message for this long is an error (5)
          --tls             wss:// through OpenSSL (the gateway's TLSEngine, client side): every
                            connection a full handshake, no session resumption, and the server's
                            certificate NOT verified (loopback benchmarking of a server you started)
          --compress        offer permessage-deflate (`permessage-deflate; client_max_window_bits`,
                            as browsers do); a server that does not accept it fails the connection.
                            Every message is sent compressed, with the window and context rules
                            of the server's answer; compressed replies are inflated and checked.
                            echo, stream and idle report the frame bytes on the wire per message
                            each way and the share of the payload bytes saved
          --payload=KIND    random (default: letters for text, any byte for --binary) or json:
                            text messages that are each a JSON array of objects with the same
                            keys and varying values (64 different ones; --size 12...1048576)

        Output: human-readable lines, then one machine-readable line
          RESULT scenario=... key=value ...
        Every wrong, missing or late reply and every protocol error is counted; if there was
        any, ERROR lines are printed and the exit status is 1. Bad usage exits 2.

        """
    }
}
