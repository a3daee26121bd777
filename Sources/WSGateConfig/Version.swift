/// wsgate's version, in one place.
///
/// Why it exists: `--version`, `--license`, the help banner and `SERVER_SOFTWARE`
/// (`wsgate/0.1.0`) must agree. It must not read anything at run time.
public enum Version {
    /// The program name.
    public static let programName = "wsgate"
    /// The release, semantic versioning.
    public static let version = "0.1.0"
    /// `wsgate 0.1.0`.
    public static let nameAndVersion = programName + " " + version
    /// What `--version` prints: `wsgate 0.1.0 (Swift, linux)`.
    public static let versionLine = nameAndVersion + " (Swift, " + operatingSystem + ")"

    /// The operating system wsgate was built for, lower case.
    public static let operatingSystem: String = {
        #if os(Linux)
        "linux"
        #elseif os(macOS)
        "darwin"
        #elseif os(FreeBSD)
        "freebsd"
        #else
        "unknown"
        #endif
    }()
}
