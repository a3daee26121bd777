import Foundation
import Glibc
import Testing
import WSGateTestSupport

/// `--staticdir`: what a browser or curl gets from the served directory, over real sockets
/// from the real binary: files with their validators, directories, conditional and range
/// requests, keep-alive and pipelining, and every way out of the directory refused.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct StaticFileTests {
    /// A served directory: a.txt ("hello world\n"), sub/index.html, list/ with a few names,
    /// a hidden file, a FIFO, links inside and outside; removed at the end.
    final class Site {
        let root: String
        private var made: [String] = []

        init() throws {
            root = TemporaryFiles.path("static")
            mkdir(root, 0o755)
            made.append(root)
            try file("a.txt", "hello world\n")
            try file("page.html", "<p>hi</p>\n")
            directory("sub")
            try file("sub/index.html", "<h1>index</h1>\n")
            directory("list")
            try file("list/b.css", "b{}\n")
            try file("list/<script>.txt", "x\n")
            try file("list/.secret", "no\n")
            directory("list/inner")
            try file(".env", "SECRET=1\n")
            directory(".well-known")
            try file(".well-known/acme", "token\n")
            mkfifo(root + "/fifo", 0o644)
            made.append(root + "/fifo")
            link("inside-link", to: "a.txt")
            link("escape", to: "/etc")
            link("escape-file", to: "/etc/passwd")
        }

        func file(_ relative: String, _ text: String) throws {
            try TemporaryFiles.write(text, to: root + "/" + relative)
            made.append(root + "/" + relative)
        }

        func directory(_ relative: String) {
            mkdir(root + "/" + relative, 0o755)
            made.append(root + "/" + relative)
        }

        func link(_ relative: String, to target: String) {
            symlink(target, root + "/" + relative)
            made.append(root + "/" + relative)
        }

        deinit {
            for path in made.reversed() where unlink(path) != 0 { rmdir(path) }
        }
    }

    private func get(_ client: TestClient, _ path: String, method: String = "GET", version: String = "1.1",
                     headers: [(String, String)] = []) throws -> TestClient.HTTPResponse {
        try client.send(request(path, method: method, version: version, headers: headers))
        return try client.readHTTPResponse(toHead: method == "HEAD")
    }

    private func request(_ path: String, method: String = "GET", version: String = "1.1", headers: [(String, String)] = []) -> String {
        var text = "\(method) \(path) HTTP/\(version)\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        return text + "\r\n"
    }

    @Test func aFileComesWithItsTypeLengthAndValidators() throws {
        let site = try Site()
        let gateway = try GatewayProcess(["--staticdir=\(site.root)", "--header=X-All: 1", "--header-http=X-Plain: 2",
                                          "--header-ws=X-Upgrade: 3"])
        let response = try get(gateway.connect(), "/a.txt")
        #expect(response.header("X-All") == "1")
        #expect(response.header("X-Plain") == "2")
        #expect(response.header("X-Upgrade") == nil)
        #expect(response.status == 200)
        #expect(response.body == "hello world\n")
        #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(response.header("Content-Length") == "12")
        #expect(response.header("Accept-Ranges") == "bytes")
        #expect(response.header("ETag")?.hasPrefix("\"") == true)
        #expect(response.header("Last-Modified")?.hasSuffix(" GMT") == true)
        #expect(response.header("Date") != nil)
        try gateway.process.waitForOutputLine(containing: "| url:'http://127.0.0.1/a.txt' | STATIC")
        let page = try get(gateway.connect(), "/page.html")
        #expect(page.header("Content-Type") == "text/html; charset=utf-8")
    }

    @Test func headAnswersTheSameHeadersWithoutABody() throws {
        let site = try Site()
        let gateway = try GatewayProcess(["--staticdir=\(site.root)"])
        let client = try gateway.connect()
        let head = try get(client, "/a.txt", method: "HEAD")
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "12")
        #expect(head.body.isEmpty)
        // No body came after the head: the next answer on the connection starts cleanly.
        #expect(try get(client, "/a.txt").body == "hello world\n")
    }

    @Test func otherMethodsGet405WithAllow() throws {
        let site = try Site()
        let gateway = try GatewayProcess(["--staticdir=\(site.root)"])
        let response = try get(gateway.connect(), "/a.txt", method: "DELETE")
        #expect(response.status == 405)
        #expect(response.header("Allow") == "GET, HEAD")
    }

    @Test func aDirectoryRedirectsToItsSlashThenServesItsIndex() throws {
        let site = try Site()
        let gateway = try GatewayProcess(["--staticdir=\(site.root)"])
        let client = try gateway.connect()
        let redirect = try get(client, "/sub?x=1")
        #expect(redirect.status == 301)
        #expect(redirect.header("Location") == "/sub/?x=1")
        let index = try get(client, "/sub/")
        #expect(index.status == 200)
        #expect(index.body == "<h1>index</h1>\n")
        #expect(index.header("Content-Type") == "text/html; charset=utf-8")
    }

    @Test func aDirectoryWithoutIndexIsListedEscapedAndWithoutHiddenNames() throws {
        let site = try Site()
        let gateway = try GatewayProcess(["--staticdir=\(site.root)"])
        let listing = try get(gateway.connect(), "/list/")
        #expect(listing.status == 200)
        #expect(listing.body.contains("<a href=\"b.css\">b.css</a>"))
        #expect(listing.body.contains("<a href=\"inner/\">inner/</a>"))
        #expect(listing.body.contains("<a href=\"%3Cscript%3E.txt\">&lt;script&gt;.txt</a>"))
        #expect(!listing.body.contains("<script>"))
        #expect(!listing.body.contains("secret"))
    }

    @Test func conditionalRequestsGet304() throws {
        let site = try Site()
        let gateway = try GatewayProcess(["--staticdir=\(site.root)"])
        let client = try gateway.connect()
        let first = try get(client, "/a.txt")
        let tag = try #require(first.header("ETag"))
        let modified = try #require(first.header("Last-Modified"))
        let byTag = try get(client, "/a.txt", headers: [("If-None-Match", "\"other\", \(tag)")])
        #expect(byTag.status == 304)
        #expect(byTag.header("ETag") == tag)
        #expect(byTag.body.isEmpty)
        let byDate = try get(client, "/a.txt", headers: [("If-Modified-Since", modified)])
        #expect(byDate.status == 304)
        let changed = try get(client, "/a.txt", headers: [("If-None-Match", "\"other\"")])
        #expect(changed.status == 200)
        #expect(changed.body == "hello world\n")
    }

    @Test func oneRangeGets206AndAnUnsatisfiableOne416() throws {
        let site = try Site()
        let gateway = try GatewayProcess(["--staticdir=\(site.root)"])
        let client = try gateway.connect()
        let part = try get(client, "/a.txt", headers: [("Range", "bytes=6-10")])
        #expect(part.status == 206)
        #expect(part.body == "world")
        #expect(part.header("Content-Range") == "bytes 6-10/12")
        #expect(part.header("Content-Length") == "5")
        let suffix = try get(client, "/a.txt", headers: [("Range", "bytes=-3")])
        #expect(suffix.body == "ld\n")
        let outside = try get(client, "/a.txt", headers: [("Range", "bytes=50-")])
        #expect(outside.status == 416)
        #expect(outside.header("Content-Range") == "bytes */12")
        let stale = try get(client, "/a.txt", headers: [("Range", "bytes=0-4"), ("If-Range", "\"old\"")])
        #expect(stale.status == 200)
        #expect(stale.body == "hello world\n")
    }

    /// Each is answered, logged, and the gateway goes on serving.
    @Test(arguments: [
        ("/../etc/passwd", 403), ("/%2e%2e/etc/passwd", 403), ("/sub/%2E%2E/%2e%2e/etc/passwd", 403),
        ("/escape/passwd", 403), ("/escape-file", 403), ("/fifo", 403), ("/a%00.txt", 400), ("/a%zz", 400),
        ("/.env", 404), ("/list/.secret", 404), ("/%2eenv", 404), ("/..%5c..%5cetc%5cpasswd", 404), ("/missing", 404),
        ("/inside-link", 200), ("/sub/../a.txt", 200), ("/.well-known/acme", 200),
    ])
    func nothingOutsideTheDirectoryOrHiddenIsServed(path: String, status: Int) throws {
        let site = try Site()
        let gateway = try GatewayProcess(["--staticdir=\(site.root)"])
        let response = try get(gateway.connect(), path)
        #expect(response.status == status, "\(path)")
        #expect(!response.body.contains("root:"), "\(path)")
        if status == 403 { try gateway.process.waitForOutputLine(containing: "STATIC refused (403)") }
        #expect(try get(gateway.connect(), "/a.txt").status == 200)
    }

    @Test func pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws {
        let site = try Site()
        let gateway = try GatewayProcess(["--staticdir=\(site.root)"])
        let client = try gateway.connect()
        try client.send(request("/a.txt") + request("/missing") + request("/sub/") + request("/a.txt", method: "HEAD"))
        #expect(try client.readHTTPResponse().body == "hello world\n")
        #expect(try client.readHTTPResponse().status == 404)
        #expect(try client.readHTTPResponse().body == "<h1>index</h1>\n")
        let last = try client.readHTTPResponse(toHead: true)
        #expect(last.status == 200)
        #expect(last.body.isEmpty)
        #expect(try get(client, "/page.html").body == "<p>hi</p>\n")
    }

    @Test func connectionCloseAndHTTP10EndTheConnectionAfterTheAnswer() throws {
        let site = try Site()
        let gateway = try GatewayProcess(["--staticdir=\(site.root)"])
        let closing = try gateway.connect()
        let answer = try get(closing, "/a.txt", headers: [("Connection", "close")])
        #expect(answer.header("Connection") == "close")
        #expect(try closing.waitForEOF())
        let old = try gateway.connect()
        let oldAnswer = try get(old, "/a.txt", version: "1.0")
        #expect(oldAnswer.body == "hello world\n")
        #expect(oldAnswer.header("Connection") == "close")
        #expect(try old.waitForEOF())
        let kept = try gateway.connect()
        #expect(try get(kept, "/a.txt", version: "1.0", headers: [("Connection", "keep-alive")]).header("Connection") == "keep-alive")
        #expect(try get(kept, "/a.txt", version: "1.0", headers: [("Connection", "keep-alive")]).status == 200)
    }

    @Test func aConnectionServesAtMostAThousandRequests() throws {
        let site = try Site()
        let gateway = try GatewayProcess(["--staticdir=\(site.root)"])
        let client = try gateway.connect()
        for _ in 0..<10 { try client.send(String(repeating: request("/a.txt"), count: 100)) }
        for number in 1...1000 {
            let response = try client.readHTTPResponse()
            if response.header("Connection") != (number == 1000 ? "close" : nil) {
                Issue.record("request \(number): Connection \(response.header("Connection") ?? "absent")")
                break
            }
        }
        #expect(try client.waitForEOF())
    }

    @Test func anIdleKeptAliveConnectionIsClosedAfterTheHeadTimeout() throws {
        let site = try Site()
        let gateway = try GatewayProcess(["--staticdir=\(site.root)"])
        let client = try gateway.connect()
        #expect(try get(client, "/a.txt").status == 200)
        try client.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n")  // never finished
        #expect(try client.waitForEOF(timeout: 30))
    }

    /// Above 16 KiB the body goes by sendfile, after the head, in order, ranges included.
    @Test func aLargerFileAndARangeOfItGoByteExact() throws {
        let site = try Site()
        let text = (0..<20_000).map { String(format: "%05d\n", $0) }.joined()  // 120,000 bytes
        try site.file("large.txt", text)
        let gateway = try GatewayProcess(["--staticdir=\(site.root)"])
        let client = try gateway.connect()
        let whole = try get(client, "/large.txt")
        #expect(whole.header("Content-Length") == "120000")
        #expect(whole.body == text)
        let middle = try get(client, "/large.txt", headers: [("Range", "bytes=60000-89999")])
        #expect(middle.status == 206)
        #expect(middle.body == String(text.dropFirst(60_000).prefix(30_000)))
        #expect(try get(client, "/a.txt").body == "hello world\n")
    }

    @Test func aGigabyteFileGoesOutWholeWithoutGrowingTheGateway() throws {
        let site = try Site()
        let path = site.root + "/big.bin"
        let fd = open(path, O_CREAT | O_WRONLY, 0o644)
        try #require(fd >= 0)
        try #require(ftruncate(fd, 1 << 30) == 0)
        close(fd)
        defer { unlink(path) }
        let gateway = try GatewayProcess(["--staticdir=\(site.root)"])
        #expect(try get(gateway.connect(), "/a.txt").status == 200)  // warm
        let before = try #require(ProcessTable.residentKilobytes(of: gateway.process.pid))
        let curl = try ChildProcess(path: "/usr/bin/curl", arguments: [
            "-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download}\\n", "http://127.0.0.1:\(gateway.port)/big.bin",
        ])
        #expect(try curl.waitForOutputLine(containing: " ", timeout: 120) == "200 1073741824")
        let after = try #require(ProcessTable.residentKilobytes(of: gateway.process.pid))
        expectRSSGrowth(from: before, to: after, below: 4096, "serving 1 GiB")
    }

    @Test func staticFilesAndWebSocketsShareThePort() throws {
        let site = try Site()
        let gateway = try GatewayProcess(["--staticdir=\(site.root)", "--echo"])
        #expect(try get(gateway.connect(), "/a.txt").body == "hello world\n")
        let socket = try gateway.openWebSocket(path: "/a.txt")
        try socket.send(FrameBytes.text("ping"))
        #expect(try socket.readMessage().text == "ping")
    }
}
