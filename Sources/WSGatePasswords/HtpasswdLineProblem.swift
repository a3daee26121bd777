/// What is wrong with one line of an htpasswd file.
///
/// Why it exists: a refused file names each bad line and why (`line 3: no ':' between user and
/// hash`), so the administrator can fix them all in one go.
public struct HtpasswdLineProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Error, Sendable, Equatable {
        /// No `:` on the line.
        case noColon
        /// Nothing before the `:`.
        case emptyUser
        /// A control character in the user name, or a name that is not UTF-8.
        case badUserName
        /// A second `:` after the hash (extra fields are not supported).
        case extraField
        /// The hash is refused.
        case hash(PasswordHashProblem)
    }

    /// The line number, from 1.
    public let line: Int
    public let reason: Reason

    public init(line: Int, reason: Reason) {
        self.line = line
        self.reason = reason
    }

    public var description: String {
        let text = switch reason {
        case .noColon: "no ':' between user and hash"
        case .emptyUser: "empty user name"
        case .badUserName: "the user name has a control character or is not UTF-8"
        case .extraField: "a second ':' after the hash (write user:hash only)"
        case .hash(let problem): problem.description
        }
        return "line \(line): \(text)"
    }
}
