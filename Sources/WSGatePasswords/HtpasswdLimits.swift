/// How large an htpasswd file may be.
///
/// Why it exists: the file is read whole into memory and again on every change; a file that
/// is far larger than any real user list is a mistake (a wrong path, a log file) to refuse.
public struct HtpasswdLimits: Sendable, Equatable {
    /// The most bytes in the file (default 4 MiB: some 50,000 bcrypt entries).
    public var maxBytes: Int
    /// The most lines, comments and blank lines included (default 100,000).
    public var maxLines: Int

    public init(maxBytes: Int = 4 << 20, maxLines: Int = 100_000) {
        self.maxBytes = maxBytes
        self.maxLines = maxLines
    }
}
