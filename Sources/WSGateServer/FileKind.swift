/// What a path names, as far as `--dir` routing cares.
///
/// Why it exists: websocketd's walk only asks "does it exist, and is it a directory?"
/// (`os.Stat` follows symlinks); anything else that exists (a regular file, but also a FIFO or
/// a device) is "the script", and starting it may then fail (logged, connection dropped).
public enum FileKind: Sendable, Equatable {
    /// A directory (after following symlinks): the walk descends into it.
    case directory
    /// Exists and is not a directory (after following symlinks): the script.
    case file
    /// Does not exist, cannot be reached, or is a dangling / looping symlink.
    case missing
}
