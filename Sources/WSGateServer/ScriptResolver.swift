import WSGateBackends
import WSGatePosix

/// Maps a request path to a script under `--dir`, websocketd's way but without escapes.
///
/// Why it exists: with `--dir=DIR`, "/sub/a.sh/extra/path" runs DIR/sub/a.sh with
/// SCRIPT_NAME "/sub/a.sh" and PATH_INFO "/extra/path" (websocketd's mapping, docs/behaviour.md,
/// 'Script directory'); and the request must never reach a file outside DIR (no escape
/// through `..`, encoded dots or symlinks), which websocketd 0.4.1 allowed through symlinks.
///
/// The walk (nil = 404):
/// 1. The path must start with "/". It is split at "/" BEFORE decoding, so "%2F" cannot make
///    a separator; empty segments ("//", a trailing "/") are skipped.
/// 2. Each segment is percent-decoded strictly; a malformed escape, a decoded "/" or NUL,
///    bytes that are not UTF-8, or a segment that starts with "." (also as "%2e": ".", "..",
///    hidden files and directories such as ".git") refuse the whole request, wherever the
///    segment is (refused, not normalised).
/// 3. From DIR, each segment must exist; directories are descended; the first non-directory
///    is the script. A path that ends on a directory (including "/") has no script.
/// 4. SCRIPT_NAME is "/" + the segments up to the script; PATH_INFO is "/" + the rest, or ""
///    when nothing follows. As in websocketd, a trailing "/" after the script stays in
///    PATH_INFO ("/a.sh/" → "/", "/a.sh/x/" → "/x/").
/// 5. The script's resolved path must lie inside DIR's resolved path (symlinks inside DIR
///    that stay inside are fine; one pointing out is refused).
///
/// Hidden files are refused, as static file servers do (websocketd runs "/.hidden" and
/// ".git/hooks/…"); whether the file is executable is not checked here (websocketd upgrades,
/// then fails to start it).
public struct ScriptResolver: Sendable {
    /// DIR, absolute, without a trailing "/" (except for "/" itself).
    public let root: String
    private let fileSystem: any FileSystemProbe

    /// `root`: the absolute `--dir` directory (a trailing "/" is removed).
    public init(root: String, fileSystem: any FileSystemProbe) {
        var trimmed = root[...]
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        self.root = String(trimmed)
        self.fileSystem = fileSystem
    }

    /// The script for a raw (still percent-encoded) URL path, or nil for 404.
    public func resolve(urlPath: String) -> ScriptResolution? {
        let slash = UInt8(ascii: "/")
        let raw = urlPath.utf8
        guard raw.first == slash else { return nil }
        var segments: [String] = []
        for rawSegment in raw.split(separator: slash, omittingEmptySubsequences: true) {
            guard let segment = Self.decodeSegment(rawSegment) else { return nil }
            segments.append(segment)
        }
        let endsWithSlash = raw.last == slash
        var directory = root
        for (index, segment) in segments.enumerated() {
            let candidate = Self.join(directory, segment)
            switch fileSystem.kind(of: candidate) {
            case .missing:
                return nil
            case .directory:
                directory = candidate
            case .file:
                guard isInsideRoot(candidate) else { return nil }
                let rest = segments[(index + 1)...]
                var pathInfo = rest.isEmpty ? "" : "/" + rest.joined(separator: "/")
                if endsWithSlash { pathInfo += "/" }
                return ScriptResolution(
                    scriptPath: candidate,
                    scriptName: "/" + segments[...index].joined(separator: "/"),
                    pathInfo: pathInfo)
            }
        }
        return nil  // no segments, or the last one is a directory
    }

    /// One decoded segment, or nil when it must refuse the request.
    static func decodeSegment(_ encoded: Substring.UTF8View) -> String? {
        guard let bytes = PercentDecoding.decode(encoded) else { return nil }
        if bytes.contains(UInt8(ascii: "/")) || bytes.contains(0) { return nil }
        // RFC 3986 §3.3: "." and ".." are dot-segments; refuse rather than normalise. Any
        // other name starting with "." is hidden: refused too.
        if bytes.first == UInt8(ascii: ".") { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory == "/" ? "/" + name : directory + "/" + name
    }

    /// The script's real path is DIR's real path plus at least one more component.
    private func isInsideRoot(_ path: String) -> Bool {
        guard let realRoot = fileSystem.resolvedPath(root), let realPath = fileSystem.resolvedPath(path) else {
            return false
        }
        let prefix = realRoot == "/" ? "/" : realRoot + "/"
        return realPath.utf8.count > prefix.utf8.count && realPath.utf8.starts(with: prefix.utf8)
    }
}
