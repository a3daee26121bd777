import WSGateBackends
import WSGatePosix
import WSGateServer

/// Percent-decoding and `--dir` routing: decoding round-trips and the lenient decoder agrees
/// with the strict one wherever the strict one answers; a resolved script is always a file
/// inside the root, never hidden, never reached through a symlink that leads out, and its
/// SCRIPT_NAME is its path below the root.
struct FakeTree: FileSystemProbe {
    static let root = "/srv/ws"
    let kinds: [String: FileSystem.EntryKind] = [
        "/srv/ws": .directory, "/srv/ws/a.sh": .file, "/srv/ws/sub": .directory, "/srv/ws/sub/b.sh": .file,
        "/srv/ws/sub/deeper": .directory, "/srv/ws/sub/deeper/c": .file, "/srv/ws/.hidden": .file,
        "/srv/ws/.git": .directory, "/srv/ws/.git/hook": .file, "/srv/ws/out": .file, "/srv/ws/a b": .file,
        "/srv/ws/%41": .file, "/srv/ws/é": .file,
    ]
    /// `out` is a symlink to a file outside the root.
    let links = ["/srv/ws/out": "/etc/passwd"]

    func kind(of path: String) -> FileSystem.EntryKind { kinds[path] ?? .missing }
    func resolvedPath(_ path: String) -> String? { kinds[path] == nil ? nil : links[path] ?? path }
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

    let tree = FakeTree()
    let resolver = ScriptResolver(root: FakeTree.root, fileSystem: tree)
    guard let found = resolver.resolve(urlPath: String(decoding: input, as: UTF8.self)) else { return 0 }
    let path = found.scriptPath
    FuzzCheck.require(path.hasPrefix(FakeTree.root + "/"), "script \(path) outside the root")
    FuzzCheck.require(tree.kind(of: path) == .file, "script \(path) is not a file")
    FuzzCheck.require(tree.links[path] == nil, "script \(path) leads out of the root")
    FuzzCheck.require(!path.split(separator: "/").contains { $0.hasPrefix(".") }, "hidden script \(path)")
    FuzzCheck.require(FakeTree.root + found.scriptName == path, "SCRIPT_NAME \(found.scriptName) for \(path)")
    FuzzCheck.require(found.pathInfo.isEmpty || found.pathInfo.hasPrefix("/"), "PATH_INFO \(found.pathInfo)")
    return 0
}
