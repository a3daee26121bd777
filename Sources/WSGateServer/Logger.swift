public import WSGateConfig
import WSGateCore
import WSGatePosix

/// Writes log lines to stdout, as websocketd does, filtered by `--loglevel`.
///
/// Why it exists: every layer above the codecs reports through it, with the connection's
/// fields attached, in the one format the user chose. With a `LogWriter` (the running
/// gateway's), a line is queued for the writer thread and a loop never waits for stdout;
/// without one (start-up errors, tests), each line is a single blocking `write(2)`. Either
/// way lines from several loops never interleave.
public struct Logger: Sendable {
    public let minimumLevel: LogLevel
    public let format: LogFormat
    /// Where lines go; nil: straight to stdout.
    private let writer: LogWriter?

    public init(minimumLevel: LogLevel, format: LogFormat) {
        self.init(minimumLevel: minimumLevel, format: format, writer: nil)
    }

    init(minimumLevel: LogLevel, format: LogFormat, writer: LogWriter?) {
        self.minimumLevel = minimumLevel
        self.format = format
        self.writer = writer
    }

    /// `true` if lines of `level` are written (check before building expensive messages).
    public func isEnabled(_ level: LogLevel) -> Bool {
        level != .none && level >= minimumLevel && minimumLevel != .none
    }

    public func log(_ level: LogLevel, _ category: String, _ fields: [(key: String, value: String)] = [], _ message: @autoclosure () -> String) {
        guard isEnabled(level) else { return }
        let line = LogLine(time: SystemClock.wallNow(), level: level, category: category, fields: fields, message: message())
        write(format == .json ? line.json : line.text)
    }

    /// The one place a formatted line leaves the logger.
    private func write(_ text: String) {
        if let writer {
            writer.enqueue(text)
        } else {
            StandardStreams.printOut(text)
        }
    }
}
