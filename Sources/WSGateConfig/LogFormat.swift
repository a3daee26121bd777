/// How each log line is rendered.
///
/// Why it exists: people grep websocketd's text lines, machines want JSON; `--logformat` picks
/// one. It must not carry any other logging policy (level, destination).
public enum LogFormat: String, Sendable, Equatable, CaseIterable {
    /// websocketd's `TIME | LEVEL | category | k:'v' ... | message` lines (the default).
    case text
    /// One JSON object per line.
    case json
}
