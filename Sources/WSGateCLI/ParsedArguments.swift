import WSGateConfig

/// What the flag pass read from the command line, before the cross-flag checks.
///
/// Why it exists: Go's `flag` pass only stores values (the last of a repeated flag wins), while
/// websocketd's checks (two backends, SSL files, directories) look at the whole line afterwards;
/// this draft carries what those checks need beyond `GatewayConfig`: which flags were written,
/// which backends were asked for, the raw `--loglevel`, `--version` / `--license`.
/// It must not be handed to other layers: `GatewayConfig` is the validated result.
struct ParsedArguments {
    /// Flag values stored so far, over wsgate's defaults.
    var config = GatewayConfig()
    /// `--loglevel` as written: websocketd refuses a bad one after parsing, with exit 1.
    var logLevelName = LogLevel.access.name
    /// `--version` was given (and not turned off by `--version=false`).
    var showVersion = false
    /// `--license` was given.
    var showLicense = false
    /// `-h`, `-help` or `--help` was met: parsing stopped there.
    var helpRequested = false
    /// COMMAND and its arguments, verbatim; empty when there is no COMMAND.
    var command: [String] = []
    /// Backend flags in effect, in the order they were first written; a repeated flag replaces
    /// its entry, `--dir=` or `--echo=false` removes it.
    private(set) var backendFlags: [(flag: String, backend: BackendSpec)] = []
    /// Names of the flags written, each once, in the order first written.
    private(set) var givenFlags: [String] = []

    /// Records that `name` was written.
    mutating func noteGiven(_ name: String) {
        if !givenFlags.contains(name) { givenFlags.append(name) }
    }

    /// Whether `name` was written.
    func wasGiven(_ name: String) -> Bool {
        givenFlags.contains(name)
    }

    /// Sets (or, with nil, clears) the backend asked for by `flag`.
    mutating func setBackend(flag: String, _ backend: BackendSpec?) {
        let existing = backendFlags.firstIndex { $0.flag == flag }
        switch (existing, backend) {
        case (let index?, let backend?): backendFlags[index].backend = backend
        case (let index?, nil): backendFlags.remove(at: index)
        case (nil, let backend?): backendFlags.append((flag, backend))
        case (nil, nil): break
        }
    }
}
