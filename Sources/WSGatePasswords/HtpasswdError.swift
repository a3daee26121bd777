/// Why an htpasswd file is refused as a whole.
///
/// Why it exists: a file with any bad line is refused, not half-read: a user who silently
/// cannot log in (or a weak hash silently accepted) is a worse surprise than a clear refusal.
public enum HtpasswdError: Error, Sendable, Equatable, CustomStringConvertible {
    /// More bytes than `HtpasswdLimits.maxBytes`.
    case tooLarge(limit: Int)
    /// More lines than `HtpasswdLimits.maxLines`.
    case tooManyLines(limit: Int)
    /// Every bad line, in order.
    case badLines([HtpasswdLineProblem])

    /// How many bad lines `description` names before "and N more".
    static let linesShown = 5

    public var description: String {
        switch self {
        case .tooLarge(let limit): return "the password file is larger than \(limit) bytes"
        case .tooManyLines(let limit): return "the password file has more than \(limit) lines"
        case .badLines(let problems):
            var text = problems.prefix(Self.linesShown).map(\.description).joined(separator: "; ")
            if problems.count > Self.linesShown { text += "; and \(problems.count - Self.linesShown) more bad lines" }
            return text
        }
    }
}
