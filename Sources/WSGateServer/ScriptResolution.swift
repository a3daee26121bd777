/// Where a `--dir` request goes: the script to run and the CGI names for it.
///
/// Why it exists: the Server needs the file to execute (argv[0], websocketd passes the
/// unresolved absolute path) and the URL split for SCRIPT_NAME / PATH_INFO, as one value.
public struct ScriptResolution: Equatable, Sendable {
    /// Absolute filesystem path of the script: the root joined with the decoded segments up
    /// to it (symlinks not resolved), e.g. "/srv/ws/sub/a.sh".
    public let scriptPath: String
    /// SCRIPT_NAME: the decoded URL path of the script, e.g. "/sub/a.sh".
    public let scriptName: String
    /// PATH_INFO: "/" and the decoded segments after the script ("/extra/path"), "" if none.
    public let pathInfo: String

    public init(scriptPath: String, scriptName: String, pathInfo: String) {
        self.scriptPath = scriptPath
        self.scriptName = scriptName
        self.pathInfo = pathInfo
    }
}
