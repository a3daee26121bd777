/// Resolves COMMAND the way websocketd does (Go's `exec.LookPath`), given a file test.
///
/// Why it exists: websocketd resolves COMMAND once at start; a name containing `/` is used as
/// given (relative paths stay relative to the working directory), any other name is searched in
/// each `$PATH` directory in order. Like Go since 1.19, a match found through a relative `$PATH`
/// entry (`.` or an empty entry) is refused. It decides; the file test is injected.
public enum ExecutableLookup {
    /// The path to run for `name`, or nil when none is executable.
    public static func resolve(
        _ name: String, searchPath: String, isExecutableFile: (String) -> Bool
    ) -> String? {
        guard !name.isEmpty else { return nil }
        if name.contains("/") {
            return isExecutableFile(name) ? name : nil
        }
        // An empty `$PATH` has no directories at all (Go's `filepath.SplitList("")`).
        guard !searchPath.isEmpty else { return nil }
        for entry in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            // Relative entries (and "", meaning ".") would find programs in the working
            // directory; Go's ErrDot refuses those.
            guard entry.hasPrefix("/") else { continue }
            var directory = String(entry)
            while directory.count > 1, directory.hasSuffix("/") { directory.removeLast() }
            let candidate = directory == "/" ? "/" + name : directory + "/" + name
            if isExecutableFile(candidate) { return candidate }
        }
        return nil
    }
}
