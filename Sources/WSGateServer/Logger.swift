public import WSGateConfig
import WSGateCore
import WSGatePosix

/// Writes log lines to stdout, as websocketd does, filtered by `--loglevel`.
///
/// Why it exists: every layer above the codecs reports through it, with the connection's
/// fields attached, in the one format the user chose. Each line is a single `write(2)`, so lines
/// from several loops never interleave.
public struct Logger: Sendable {
    public let minimumLevel: LogLevel
    public let format: LogFormat

    public init(minimumLevel: LogLevel, format: LogFormat) {
        self.minimumLevel = minimumLevel
        self.format = format
    }

    /// `true` if lines of `level` are written (check before building expensive messages).
    public func isEnabled(_ level: LogLevel) -> Bool {
        level != .none && level >= minimumLevel && minimumLevel != .none
    }

    public func log(_ level: LogLevel, _ category: String, _ fields: [(key: String, value: String)] = [], _ message: @autoclosure () -> String) {
        guard isEnabled(level) else { return }
        let line = LogLine(time: SystemClock.wallNow(), level: level, category: category, fields: fields, message: message())
        StandardStreams.printOut(format == .json ? line.json : line.text)
    }
}
