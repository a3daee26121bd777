/// The minimum severity written to the log, websocketd's scale.
///
/// Why it exists: `--loglevel` takes websocketd's names and its ordering matters for drop-in use
/// (notably `info` ranks *above* `access`, so `--loglevel=info` hides the access lines).
/// It is only a value: it must not decide where or how lines are written.
public enum LogLevel: Int, Sendable, Comparable, CaseIterable {
    /// Everything, including environment dumps.
    case debug = 0
    /// Protocol-level tracing.
    case trace
    /// One line per connection / request (`CONNECT`, `DISCONNECT`, `STATIC` ...); the default.
    case access
    /// Startup and shutdown information.
    case info
    /// Failures of one connection or program.
    case error
    /// Failures that stop wsgate.
    case fatal
    /// Nothing at all (websocketd's undocumented `none`).
    case none

    /// The level spelled exactly as websocketd spells it (lower case), or nil for anything else.
    public init?(name: String) {
        guard let level = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = level
    }

    /// The command-line spelling: `debug`, `trace`, `access`, `info`, `error`, `fatal`, `none`.
    public var name: String {
        switch self {
        case .debug: "debug"
        case .trace: "trace"
        case .access: "access"
        case .info: "info"
        case .error: "error"
        case .fatal: "fatal"
        case .none: "none"
        }
    }

    /// The name as the text log's level column shows it: `ACCESS`, `ERROR` …
    public var upperCaseName: String {
        switch self {
        case .debug: "DEBUG"
        case .trace: "TRACE"
        case .access: "ACCESS"
        case .info: "INFO"
        case .error: "ERROR"
        case .fatal: "FATAL"
        case .none: "NONE"
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
