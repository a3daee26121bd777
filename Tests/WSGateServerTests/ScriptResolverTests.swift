import Testing
import WSGatePosix
import WSGateServer

/// A dictionary-backed file system. `links` maps a path to where it really is (symlinks);
/// `unresolvable` paths make `realpath` fail; every other existing path resolves to itself.
struct FakeFileSystem: FileSystemProbe {
    var kinds: [String: FileSystem.EntryKind]
    var links: [String: String] = [:]
    var unresolvable: Set<String> = []

    func kind(of path: String) -> FileSystem.EntryKind { kinds[path] ?? .missing }

    func resolvedPath(_ path: String) -> String? {
        if unresolvable.contains(path) { return nil }
        if let target = links[path] { return target }
        return kinds[path] == nil ? nil : path
    }
}

@Suite(.timeLimit(.minutes(10))) struct ScriptResolverTests {
    static let fileSystem = FakeFileSystem(
        kinds: [
            "/srv/ws": .directory,
            "/srv/ws/sub": .directory,
            "/srv/ws/sub/a.sh": .file,
            "/srv/ws/sub/deeper": .directory,
            "/srv/ws/sub/deeper/b.sh": .file,
            "/srv/ws/top.sh": .file,
            "/srv/ws/.hidden": .file,
            "/srv/ws/.git": .directory,
            "/srv/ws/.git/hooks": .directory,
            "/srv/ws/.git/hooks/post-update": .file,
            "/srv/ws/sub/.env.sh": .file,
            "/srv/ws/a b.sh": .file,
            "/srv/ws/ü.sh": .file,
            "/srv/ws/a+b.sh": .file,
            "/srv/ws/link.sh": .file,  // → /etc/passwd
            "/srv/ws/linkdir": .directory,  // → /etc
            "/srv/ws/linkdir/passwd": .file,
            "/srv/ws/inlink.sh": .file,  // → /srv/ws/sub/a.sh
            "/srv/ws/sibling.sh": .file,  // → /srv/ws2/x.sh (a prefix of the root's name)
            "/srv/ws/rootlink.sh": .file,  // → /srv/ws (the root itself)
            "/srv/ws/unresolvable.sh": .file,
        ],
        links: [
            "/srv/ws/link.sh": "/etc/passwd",
            "/srv/ws/linkdir": "/etc",
            "/srv/ws/linkdir/passwd": "/etc/passwd",
            "/srv/ws/inlink.sh": "/srv/ws/sub/a.sh",
            "/srv/ws/sibling.sh": "/srv/ws2/x.sh",
            "/srv/ws/rootlink.sh": "/srv/ws",
        ],
        unresolvable: ["/srv/ws/unresolvable.sh"])

    static let resolver = ScriptResolver(root: "/srv/ws", fileSystem: fileSystem)

    static func found(_ path: String, _ name: String, _ info: String) -> ScriptResolution? {
        ScriptResolution(scriptPath: path, scriptName: name, pathInfo: info)
    }

    @Test(arguments: [
        ("/sub/a.sh", found("/srv/ws/sub/a.sh", "/sub/a.sh", "")),
        ("/sub/a.sh/extra/path", found("/srv/ws/sub/a.sh", "/sub/a.sh", "/extra/path")),
        ("/sub/a.sh/not/checked", found("/srv/ws/sub/a.sh", "/sub/a.sh", "/not/checked")),
        ("/sub/deeper/b.sh/x", found("/srv/ws/sub/deeper/b.sh", "/sub/deeper/b.sh", "/x")),
        ("/top.sh", found("/srv/ws/top.sh", "/top.sh", "")),
        ("/top.sh?", nil),  // the resolver gets the path only: "?" would be part of a name
        // Trailing "/" after the script stays in PATH_INFO, as in websocketd.
        ("/sub/a.sh/", found("/srv/ws/sub/a.sh", "/sub/a.sh", "/")),
        ("/sub/a.sh/x/", found("/srv/ws/sub/a.sh", "/sub/a.sh", "/x/")),
        // Empty segments are skipped.
        ("//top.sh", found("/srv/ws/top.sh", "/top.sh", "")),
        ("/sub//a.sh//x//y", found("/srv/ws/sub/a.sh", "/sub/a.sh", "/x/y")),
        // Decoding.
        ("/a%20b.sh", found("/srv/ws/a b.sh", "/a b.sh", "")),
        ("/%C3%BC.sh/%C3%BC", found("/srv/ws/ü.sh", "/ü.sh", "/ü")),
        ("/a+b.sh", found("/srv/ws/a+b.sh", "/a+b.sh", "")),  // "+" is not a space
        ("/top%2esh", found("/srv/ws/top.sh", "/top.sh", "")),  // an encoded dot inside a name
        ("/%73ub/a.sh", found("/srv/ws/sub/a.sh", "/sub/a.sh", "")),
        // Symlinks that stay inside DIR.
        ("/inlink.sh", found("/srv/ws/inlink.sh", "/inlink.sh", "")),
    ] as [(String, ScriptResolution?)])
    func resolves(_ urlPath: String, _ expected: ScriptResolution?) {
        #expect(Self.resolver.resolve(urlPath: urlPath) == expected)
    }

    @Test(arguments: [
        // Directories and nothing.
        "/", "//", "", "/sub", "/sub/", "/sub/deeper/", "top.sh", "*",
        // Missing segments.
        "/missing.sh", "/sub/missing.sh", "/sub/missing/a.sh", "/missing/top.sh",
        // Dot segments, plain or encoded, anywhere (refused, not normalised).
        "/sub/../top.sh", "/sub/%2e%2e/top.sh", "/sub/%2E%2E/top.sh", "/sub/.%2e/top.sh",
        "/%2e%2e/etc/passwd", "/../etc/passwd", "/./top.sh", "/%2e/top.sh",
        "/top.sh/..", "/top.sh/%2e%2e", "/top.sh/x/./y", "/sub/a.sh/../../../etc/passwd",
        // Hidden files and directories, and anything after a script that looks hidden.
        "/.hidden", "/%2ehidden", "/%2Ehidden", "/.git/hooks/post-update", "/%2egit/hooks/post-update",
        "/sub/.env.sh", "/top.sh/.x", "/.missing",
        // Encoded separators and NUL.
        "/sub%2Fa.sh", "/sub%2fa.sh", "/top.sh/a%2Fb", "/top%00.sh", "/top.sh/%00",
        // Malformed escapes and bytes that are not UTF-8.
        "/bad%zz", "/bad%2", "/bad%", "/top.sh/%g0", "/%FF.sh", "/%C3.sh", "/top.sh/%C0%AF",
        // Symlinks out of DIR.
        "/link.sh", "/linkdir/passwd", "/sibling.sh", "/rootlink.sh", "/unresolvable.sh/x",
    ])
    func refuses(_ urlPath: String) {
        #expect(Self.resolver.resolve(urlPath: urlPath) == nil)
    }

    @Test func rootWithTrailingSlashBehavesTheSame() {
        let resolver = ScriptResolver(root: "/srv/ws/", fileSystem: Self.fileSystem)
        #expect(resolver.root == "/srv/ws")
        #expect(resolver.resolve(urlPath: "/sub/a.sh/x") == Self.found("/srv/ws/sub/a.sh", "/sub/a.sh", "/x"))
        #expect(resolver.resolve(urlPath: "/link.sh") == nil)
    }

    @Test func rootThatIsItselfASymlinkIsComparedByItsRealPath() {
        let fileSystem = FakeFileSystem(
            kinds: ["/srv/ws": .directory, "/srv/ws/a.sh": .file, "/srv/ws/out.sh": .file],
            links: ["/srv/ws": "/data/ws", "/srv/ws/a.sh": "/data/ws/a.sh", "/srv/ws/out.sh": "/srv/ws/a.sh"])
        let resolver = ScriptResolver(root: "/srv/ws", fileSystem: fileSystem)
        #expect(resolver.resolve(urlPath: "/a.sh") == Self.found("/srv/ws/a.sh", "/a.sh", ""))
        // Resolves to a path that merely LOOKS like it is under the root.
        #expect(resolver.resolve(urlPath: "/out.sh") == nil)
    }

    @Test func unresolvableRootRefusesEverything() {
        var fileSystem = Self.fileSystem
        fileSystem.unresolvable.insert("/srv/ws")
        #expect(ScriptResolver(root: "/srv/ws", fileSystem: fileSystem).resolve(urlPath: "/top.sh") == nil)
    }

    @Test func filesystemRoot() {
        let fileSystem = FakeFileSystem(kinds: ["/": .directory, "/x.sh": .file, "/d": .directory, "/d/y.sh": .file])
        let resolver = ScriptResolver(root: "/", fileSystem: fileSystem)
        #expect(resolver.resolve(urlPath: "/x.sh/i") == Self.found("/x.sh", "/x.sh", "/i"))
        #expect(resolver.resolve(urlPath: "/d/y.sh") == Self.found("/d/y.sh", "/d/y.sh", ""))
        #expect(resolver.resolve(urlPath: "/") == nil)
    }

    @Test func scriptsAreLookedUpPerRequest() {
        // Only the probe is asked; nothing is cached in the resolver.
        var fileSystem = FakeFileSystem(kinds: ["/srv": .directory])
        #expect(ScriptResolver(root: "/srv", fileSystem: fileSystem).resolve(urlPath: "/new.sh") == nil)
        fileSystem.kinds["/srv/new.sh"] = .file
        #expect(ScriptResolver(root: "/srv", fileSystem: fileSystem).resolve(urlPath: "/new.sh") != nil)
    }

    /// Fuzzer finding: PATH_INFO starting with "/" and a combining mark ("/\u{317}…") is one
    /// character "/̗", so a character-wise `hasPrefix("/")` said no. Checked here on bytes.
    @Test func pathInfoIsComparedAsBytes() throws {
        let found = try #require(Self.resolver.resolve(urlPath: "/top.sh/%CC%97~t"))
        #expect(Array(found.pathInfo.utf8) == [0x2F, 0xCC, 0x97, 0x7E, 0x74])
        #expect(Array(found.scriptName.utf8) == Array("/top.sh".utf8))
    }
}
