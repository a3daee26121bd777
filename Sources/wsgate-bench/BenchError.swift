/// Why a wsgate-bench run could not even start: a bad command line or a failed setup call.
///
/// Why it exists: the tool's one error type. Wrong or missing replies during a run are not
/// thrown: they are counted in an `ErrorTally` so the run can finish and report all of them.
enum BenchError: Error, CustomStringConvertible {
    /// The command line is wrong (exit status 2).
    case usage(String)
    /// A setup step failed: resolving, listening, spawning (exit status 1).
    case setup(String)
    /// Not a failure: `--help` was asked for; the text goes to stdout (exit status 0).
    case help(String)

    var description: String {
        switch self {
        case .usage(let text), .setup(let text), .help(let text): return text
        }
    }

    /// The exit status for this error.
    var exitStatus: Int32 {
        switch self {
        case .usage: return 2
        case .setup: return 1
        case .help: return 0
        }
    }
}
