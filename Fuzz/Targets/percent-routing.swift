import WSGateBackends
import WSGatePosix
@testable import WSGateServer

/// Percent-decoding, `--dir` routing and `--staticdir` paths: decoding round-trips and the
/// lenient decoder agrees with the strict one wherever the strict one answers; a resolved
/// script is always a file inside the root, never hidden, never reached through a symlink that
/// leads out, and its SCRIPT_NAME is its path below the root; a static path is relative, clean
/// (no empty, "." or ".." segment, no NUL) and not hidden, or a refusal.
struct FakeTree: FileSystemProbe {
    static let root = "/srv/ws"
    /// Keyed by bytes, as the file system is: String keys would treat "é" and "e\u{301}" as one.
    let kinds: [[UInt8]: FileSystem.EntryKind] = Dictionary(uniqueKeysWithValues: ([
        ("/srv/ws", .directory), ("/srv/ws/a.sh", .file), ("/srv/ws/sub", .directory), ("/srv/ws/sub/b.sh", .file),
        ("/srv/ws/sub/deeper", .directory), ("/srv/ws/sub/deeper/c", .file), ("/srv/ws/.hidden", .file),
        ("/srv/ws/.git", .directory), ("/srv/ws/.git/hook", .file), ("/srv/ws/out", .file), ("/srv/ws/a b", .file),
        ("/srv/ws/%41", .file), ("/srv/ws/\u{E9}", .file),
    ] as [(String, FileSystem.EntryKind)]).map { (Array($0.0.utf8), $0.1) })
    /// `out` is a symlink to a file outside the root.
    let links = [Array("/srv/ws/out".utf8): "/etc/passwd"]

    func kind(of path: String) -> FileSystem.EntryKind { kinds[Array(path.utf8)] ?? .missing }
    func resolvedPath(_ path: String) -> String? { kinds[Array(path.utf8)] == nil ? nil : links[Array(path.utf8)] ?? path }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPercentRouting(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzCheck.input(data, size)
    if let strict = PercentDecoding.decode(input) {
        FuzzCheck.require(PercentDecoding.decodeLeniently(input) == strict, "the two decoders disagree on \(input)")
    }
    let encoded = input.flatMap { byte -> [UInt8] in
        let hex = Array("0123456789ABCDEF".utf8)
        return [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
    }
    FuzzCheck.require(PercentDecoding.decode(encoded) == input, "decode(encode(x)) != x for \(input)")

    checkStaticPath(String(decoding: input, as: UTF8.self))

    let tree = FakeTree()
    let resolver = ScriptResolver(root: FakeTree.root, fileSystem: tree)
    guard let found = resolver.resolve(urlPath: String(decoding: input, as: UTF8.self)) else { return 0 }
    // Byte comparisons: String's hasPrefix and == compare characters, and a combining mark
    // after "/" makes "/" part of a larger character.
    let path = found.scriptPath
    FuzzCheck.require(path.utf8.starts(with: (FakeTree.root + "/").utf8), "script \(path) outside the root")
    FuzzCheck.require(tree.kind(of: path) == .file, "script \(path) is not a file")
    FuzzCheck.require(tree.links[Array(path.utf8)] == nil, "script \(path) leads out of the root")
    let components = path.utf8.split(separator: UInt8(ascii: "/"))
    FuzzCheck.require(!components.contains { $0.first == UInt8(ascii: ".") }, "hidden script \(path)")
    FuzzCheck.require((FakeTree.root + found.scriptName).utf8.elementsEqual(path.utf8), "SCRIPT_NAME \(found.scriptName) for \(path)")
    FuzzCheck.require(found.pathInfo.isEmpty || found.pathInfo.utf8.first == UInt8(ascii: "/"), "PATH_INFO \(found.pathInfo)")
    return 0
}

func checkStaticPath(_ urlPath: String) {
    let decoded = PercentDecoding.decode(urlPath.utf8)
    switch StaticPath(urlPath: urlPath) {
    case .malformed:
        FuzzCheck.require(decoded == nil || decoded!.contains(0), "\(urlPath) refused as malformed but decodes cleanly")
    case .aboveRoot, .hidden:
        FuzzCheck.require(decoded != nil, "\(urlPath) does not decode but was not refused as malformed")
    case .inside(let path, _):
        FuzzCheck.require(decoded != nil && !path.contains(0), "\(urlPath) gave a path with NUL or from a bad escape")
        guard !path.isEmpty else { return }
        let segments = path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        for segment in segments {
            FuzzCheck.require(!segment.isEmpty, "empty segment in \(path) from \(urlPath)")
            FuzzCheck.require(segment.first != UInt8(ascii: ".") || segment.elementsEqual(StaticPath.wellKnown),
                              "dot segment \(Array(segment)) in \(path) from \(urlPath)")
        }
    }
}
