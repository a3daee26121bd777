import Glibc
import Testing
import WSGateTestSupport
import WSGateWebSocket

/// `--dir` routing, `--origin` / `--sameorigin`, `--reverselookup`: what a client gets
/// before the 101, in the README's order (slot 429 → route 404 → origin 403 → backend 500 →
/// 101).
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct RoutingTests {
    /// A scratch directory tree for `--dir`, removed at the end.
    final class ScriptTree {
        let root: String
        private var made: [String] = []

        init() {
            root = TemporaryFiles.path("dir")
            mkdir(root, 0o755)
            made.append(root)
        }

        func directory(_ relative: String) {
            mkdir(root + "/" + relative, 0o755)
            made.append(root + "/" + relative)
        }

        /// A script that prints its SCRIPT_NAME and PATH_INFO, then exits.
        func script(_ relative: String, mode: mode_t = 0o755) throws {
            let path = root + "/" + relative
            let text = "#!/bin/sh\necho \"$SCRIPT_NAME|$PATH_INFO|$0\"\n"
            made.append(path)
            try TemporaryFiles.write(text, to: path, mode: mode)
        }

        func symlink(_ relative: String, to target: String) {
            Glibc.symlink(target, root + "/" + relative)
            made.append(root + "/" + relative)
        }

        deinit {
            for path in made.reversed() {
                if unlink(path) != 0 { rmdir(path) }
            }
        }
    }

    @Test func dirMapsTheFirstFileToScriptNameAndTheRestToPathInfo() throws {
        let tree = ScriptTree()
        tree.directory("sub")
        try tree.script("sub/a.sh")
        let gateway = try GatewayProcess(["--dir=\(tree.root)"])
        let client = try gateway.openWebSocket(path: "/sub/a.sh/extra/path?q=1")
        #expect(try client.readMessage().text == "/sub/a.sh|/extra/path|\(tree.root)/sub/a.sh")
        let bare = try gateway.openWebSocket(path: "/sub/a.sh")
        #expect(try bare.readMessage().text == "/sub/a.sh||\(tree.root)/sub/a.sh")
    }

    /// websocketd runs them; a checkout served with `--dir` would expose `.git/hooks`.
    @Test(arguments: ["/.hidden", "/.git/hooks/x", "/%2ehidden", "/sub/.hidden"])
    func dirRefusesHiddenFilesAndDirectoriesWith404(path: String) throws {
        let tree = ScriptTree()
        tree.directory("sub")
        tree.directory(".git")
        tree.directory(".git/hooks")
        try tree.script(".hidden")
        try tree.script("sub/.hidden")
        try tree.script(".git/hooks/x")
        let gateway = try GatewayProcess(["--dir=\(tree.root)"])
        #expect(try gateway.connect().upgrade(path: path).status == 404, "\(path)")
    }

    @Test(arguments: [
        "/missing.sh", "/sub", "/sub/", "/", "/sub/../sub/a.sh", "/sub/%2e%2e/sub/a.sh",
        "/%2e%2e/etc/passwd", "/sub%2Fa.sh", "/escape.sh", "/escape-dir/passwd",
    ])
    func dirRefusesWhatIsNotAScriptInsideItWith404(path: String) throws {
        let tree = ScriptTree()
        tree.directory("sub")
        try tree.script("sub/a.sh")
        tree.symlink("escape.sh", to: "/bin/true")
        tree.symlink("escape-dir", to: "/etc")
        let gateway = try GatewayProcess(["--dir=\(tree.root)"])
        let client = try gateway.connect()
        #expect(try client.upgrade(path: path).status == 404, "\(path)")
    }

    /// websocketd answers 101 and then drops the connection; wsgate answers 500 before the
    /// upgrade (docs/behaviour.md, 'Handshake').
    @Test func aNonExecutableScriptGets500() throws {
        let tree = ScriptTree()
        try tree.script("plain.txt", mode: 0o644)
        let gateway = try GatewayProcess(["--dir=\(tree.root)"])
        let client = try gateway.connect()
        #expect(try client.upgrade(path: "/plain.txt").status == 500)
        try gateway.process.waitForOutputLine(containing: "Could not launch process")
    }

    @Test(arguments: [
        ("http://example.com", 101), ("https://example.com:8443", 101), ("http://evil.example", 403),
        ("null", 403), (nil, 403),
    ] as [(String?, Int)])
    func originListIsEnforced(origin: String?, status: Int) throws {
        let gateway = try GatewayProcess(["--origin=example.com", "--echo"])
        let client = try gateway.connect()
        let headers = origin.map { [("Origin", $0)] } ?? []
        #expect(try client.upgrade(headers: headers).status == status)
    }

    @Test func sameoriginComparesOriginWithHost() throws {
        let gateway = try GatewayProcess(["--sameorigin", "--echo"])
        let same = try gateway.connect()
        // TestClient sends `Host: 127.0.0.1`.
        #expect(try same.upgrade(headers: [("Origin", "http://127.0.0.1")]).status == 101)
        let other = try gateway.connect()
        #expect(try other.upgrade(headers: [("Origin", "http://127.0.0.1:9999")]).status == 403)
    }

    /// What the README warns about: after DNS rebinding, the browser sends the attacker's name
    /// as both Origin and Host, which `--sameorigin` accepts; an `--origin` list does not.
    @Test func sameoriginTrustsTheHostHeaderAndAnOriginListDoesNot() throws {
        let rebound: [(String, String)] = [("Origin", "http://attacker.example:8080")]
        let sameOrigin = try GatewayProcess(["--sameorigin", "--echo"])
        #expect(try sameOrigin.connect().upgrade(host: "attacker.example:8080", headers: rebound).status == 101)
        let listed = try GatewayProcess(["--origin=127.0.0.1", "--echo"])
        #expect(try listed.connect().upgrade(host: "attacker.example:8080", headers: rebound).status == 403)
    }

    /// The slot is taken first, so a refused request must give it back.
    @Test func refusalsAfterTheSlotReleaseIt() throws {
        let gateway = try GatewayProcess(["--maxforks=1", "--origin=example.com", "--echo"])
        for _ in 0..<3 {
            let refused = try gateway.connect()
            #expect(try refused.upgrade(headers: [("Origin", "http://evil.example")]).status == 403)
        }
        let accepted = try gateway.connect()
        #expect(try accepted.upgrade(headers: [("Origin", "http://example.com")]).status == 101)
    }

    @Test func reverselookupPutsTheNameInRemoteHost() throws {
        let gateway = try GatewayProcess(["--reverselookup", Executables.path("wsgate-testcmd"), "env"])
        let client = try gateway.openWebSocket()
        var remoteHost: String?
        while true {
            let frame = try client.readMessage()
            if frame.opcode == .close { break }
            if frame.text.hasPrefix("REMOTE_HOST=") { remoteHost = String(frame.text.dropFirst(12)) }
        }
        // 127.0.0.1 has the name "localhost" (in /etc/hosts) on any Debian machine.
        #expect(remoteHost == "localhost")
    }
}
