public import WSGateConfig

/// What the command line asks wsgate to do.
///
/// Why it exists: `--help`, `--version` and `--license` print and exit 0 without any further
/// validation (websocketd's behaviour), everything else must yield a complete, validated
/// configuration. The text to print is ready; printing is the caller's job.
public enum CommandLineOutcome: Sendable, Equatable {
    /// Serve with this configuration.
    case run(GatewayConfig)
    /// Print this help text to stdout, exit 0.
    case help(String)
    /// Print this version line to stdout, exit 0.
    case version(String)
    /// Print this license text to stdout, exit 0.
    case license(String)
}
