/// Resolves COMMAND the way websocketd does (Go's `exec.LookPath`), given a file probe.
///
/// Why it exists: websocketd resolves COMMAND once at start; a name containing `/` is used as
/// given (relative paths stay relative to the working directory), any other name is searched in
/// each `$PATH` directory in order. Like Go since 1.19, a match found through a relative `$PATH`
/// entry (`.` or an empty entry) is refused. Unlike websocketd, a file that exists but may not
/// be executed is told apart from a missing one, so the error can say which. It decides; the
/// probe is injected.
public enum ExecutableLookup {
    /// What a path names, as far as running it goes (symbolic links followed).
    public enum FileKind: Sendable {
        /// A regular file this process may execute.
        case executable
        /// A file this process may not execute (no execute permission, a `noexec` mount…).
        case notExecutable
        /// Nothing, or a directory.
        case absent
    }

    /// What the look-up found.
    public enum Outcome: Equatable, Sendable {
        /// The path to run.
        case found(String)
        /// No executable, but this file (the first met) exists and may not be executed.
        case notExecutable(String)
        case notFound
    }

    /// The path to run for `name`, else the first non-executable file that would have been it.
    public static func resolve(
        _ name: String, searchPath: String, kindOf: (String) -> FileKind
    ) -> Outcome {
        guard !name.isEmpty else { return .notFound }
        if name.contains("/") {
            return outcome(name, kindOf(name))
        }
        // An empty `$PATH` has no directories at all (Go's `filepath.SplitList("")`).
        guard !searchPath.isEmpty else { return .notFound }
        var firstNotExecutable: String?
        for entry in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            // Relative entries (and "", meaning ".") would find programs in the working
            // directory; Go's ErrDot refuses those.
            guard entry.hasPrefix("/") else { continue }
            var directory = String(entry)
            while directory.count > 1, directory.hasSuffix("/") { directory.removeLast() }
            let candidate = directory == "/" ? "/" + name : directory + "/" + name
            switch kindOf(candidate) {
            case .executable: return .found(candidate)
            case .notExecutable: firstNotExecutable = firstNotExecutable ?? candidate
            case .absent: break
            }
        }
        return firstNotExecutable.map(Outcome.notExecutable) ?? .notFound
    }

    private static func outcome(_ path: String, _ kind: FileKind) -> Outcome {
        switch kind {
        case .executable: .found(path)
        case .notExecutable: .notExecutable(path)
        case .absent: .notFound
        }
    }
}
