import Foundation
import Glibc
import Testing
import WSGateTestSupport

/// `--cgidir`: scripts run as Go's net/http/cgi runs them for websocketd, over real sockets
/// from the real binary: the environment, the request body in (by length or chunked, with its
/// limit), the script's header section out (status, redirects, malformed output), the body's
/// framing, keep-alive, `--maxforks`, and scripts that are not there or not allowed.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct CGITests {
    /// A CGI directory with shell scripts; removed at the end.
    final class Scripts {
        let root: String
        private var made: [String] = []

        init() throws {
            root = TemporaryFiles.path("cgi")
            mkdir(root, 0o755)
            made.append(root)
            try script("env.cgi", "printf 'Content-Type: text/plain\\r\\n\\r\\n'; env; echo \"CWD=$(pwd)\"")
            try script("echo.cgi", "printf 'Content-Type: application/octet-stream\\n\\n'; cat")
            try script("sized.cgi", "printf 'Content-Type: text/plain\\nContent-Length: 5\\n\\nhello'")
            try script("status.cgi", "printf 'Status: 418 Short and stout\\nContent-Type: text/plain\\nSet-Cookie: a=1\\nSet-Cookie: b=2\\n\\ntea'")
            try script("away.cgi", "printf 'Location: http://example.com/elsewhere\\n\\n'")
            try script("dated.cgi", "printf 'Content-Type: text/plain\\nDate: Sun, 06 Nov 1994 08:49:37 GMT\\n\\nold'")
            try script("local.cgi", "printf 'Location: /sized.cgi\\n\\n'")
            try script("loop.cgi", "printf 'Location: /loop.cgi\\n\\n'")
            try script("garbage.cgi", "echo 'this is not a header'")
            try script("untyped.cgi", "printf 'X-Thing: 1\\n\\nbody'")
            try script("silent.cgi", "exit 3")
            try script("wait.cgi", "printf 'Content-Type: text/plain\\n\\n'; read line; printf 'got %s' \"$line\"")
            try script("pid.cgi", "printf 'Content-Type: text/plain\\n\\n%s\\n' $$; exec sleep 1000")
            try TemporaryFiles.write("#!/bin/sh\necho no\n", to: root + "/plain.txt")
            made.append(root + "/plain.txt")
            try script(".hidden.cgi", "printf 'Content-Type: text/plain\\n\\nhidden'")
            mkdir(root + "/sub", 0o755)
            made.append(root + "/sub")
        }

        func script(_ name: String, _ body: String) throws {
            let path = root + "/" + name
            try TemporaryFiles.write("#!/bin/sh\n" + body + "\n", to: path)
            chmod(path, 0o755)
            made.append(path)
        }

        deinit {
            for path in made.reversed() where unlink(path) != 0 { rmdir(path) }
        }
    }

    private func request(_ path: String, method: String = "GET", version: String = "1.1",
                         headers: [(String, String)] = [], body: String = "") -> String {
        var text = "\(method) \(path) HTTP/\(version)\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        return text + "\r\n" + body
    }

    private func get(_ client: TestClient, _ path: String, method: String = "GET", version: String = "1.1",
                     headers: [(String, String)] = [], body: String = "") throws -> TestClient.HTTPResponse {
        try client.send(request(path, method: method, version: version, headers: headers, body: body))
        return try client.readHTTPResponse(toHead: method == "HEAD", bodyToEOF: version == "1.0")
    }

    @Test func aScriptGetsTheCGIEnvironmentAndRunsInItsDirectory() throws {
        let scripts = try Scripts()
        let gateway = try GatewayProcess(["--cgidir=\(scripts.root)"])
        let response = try get(gateway.connect(), "/env.cgi?a=1&b=%20", headers: [("X-Custom", "yes")])
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/plain")
        #expect(response.header("Transfer-Encoding") == "chunked")
        let lines = Set(response.body.split(separator: "\n").map(String.init))
        let root = try #require(realpath(scripts.root, nil).map { String(cString: $0) })
        for expected in ["GATEWAY_INTERFACE=CGI/1.1", "REQUEST_METHOD=GET", "SCRIPT_NAME=/", "PATH_INFO=/env.cgi",
                         "QUERY_STRING=a=1&b=%20", "REQUEST_URI=/env.cgi?a=1&b=%20", "HTTP_X_CUSTOM=yes",
                         "HTTP_HOST=127.0.0.1", "SCRIPT_FILENAME=\(root)/env.cgi", "CWD=\(root)", "REMOTE_ADDR=127.0.0.1"] {
            #expect(lines.contains(expected), "\(expected) in \(response.body)")
        }
        #expect(lines.contains { $0.hasPrefix("PATH=") }, "--passenv's default PATH is passed")
        try gateway.process.waitForOutputLine(containing: "| CGI")
    }

    @Test func aRequestBodyReachesTheScriptByLengthOrChunked() throws {
        let scripts = try Scripts()
        let gateway = try GatewayProcess(["--cgidir=\(scripts.root)"])
        let sized = try get(gateway.connect(), "/echo.cgi", method: "POST", headers: [("Content-Length", "11")], body: "hello world")
        #expect(sized.status == 200)
        #expect(sized.body == "hello world")
        let chunked = try get(gateway.connect(), "/echo.cgi", method: "POST", headers: [("Transfer-Encoding", "chunked")],
                              body: "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: x\r\n\r\n")
        #expect(chunked.status == 200)
        #expect(chunked.body == "hello world")
        let environment = try get(gateway.connect(), "/env.cgi", method: "POST",
                                  headers: [("Content-Length", "3"), ("Content-Type", "text/x-test")], body: "abc")
        #expect(environment.body.contains("CONTENT_LENGTH=3\n"))
        #expect(environment.body.contains("CONTENT_TYPE=text/x-test\n"))
    }

    /// A megabyte goes through the script and back: the body is streamed both ways.
    @Test func aLargeBodyIsStreamedThroughTheScript() throws {
        let scripts = try Scripts()
        let gateway = try GatewayProcess(["--cgidir=\(scripts.root)", "--cgi-max-body=2000000"])
        let payload = String(repeating: "0123456789abcdef", count: 65536)
        let response = try get(gateway.connect(), "/echo.cgi", method: "POST",
                               headers: [("Content-Length", String(payload.utf8.count))], body: payload)
        #expect(response.status == 200)
        #expect(response.body.utf8.count == payload.utf8.count)
        #expect(response.body == payload)
    }

    @Test func aBodyOverTheLimitIs413() throws {
        let scripts = try Scripts()
        let gateway = try GatewayProcess(["--cgidir=\(scripts.root)", "--cgi-max-body=10"])
        let declared = try get(gateway.connect(), "/echo.cgi", method: "POST", headers: [("Content-Length", "11")], body: "hello world")
        #expect(declared.status == 413)
        let chunked = try get(gateway.connect(), "/echo.cgi", method: "POST", headers: [("Transfer-Encoding", "chunked")],
                              body: "6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n")
        #expect(chunked.status == 413)
        let fits = try get(gateway.connect(), "/echo.cgi", method: "POST", headers: [("Content-Length", "10")], body: "hello worl")
        #expect(fits.body == "hello worl")
    }

    @Test func aMalformedChunkedBodyIs400() throws {
        let scripts = try Scripts()
        let gateway = try GatewayProcess(["--cgidir=\(scripts.root)"])
        let response = try get(gateway.connect(), "/echo.cgi", method: "POST", headers: [("Transfer-Encoding", "chunked")],
                               body: "zz\r\nhello\r\n")
        #expect(response.status == 400)
    }

    @Test func statusFieldsAndRedirectsReachTheClient() throws {
        let scripts = try Scripts()
        let gateway = try GatewayProcess(["--cgidir=\(scripts.root)"])
        let tea = try get(gateway.connect(), "/status.cgi")
        #expect(tea.status == 418)
        #expect(tea.body == "tea")
        #expect(tea.headers.filter { $0.name == "Set-Cookie" }.map(\.value) == ["a=1", "b=2"])
        let away = try get(gateway.connect(), "/away.cgi")
        #expect(away.status == 302)
        #expect(away.header("Location") == "http://example.com/elsewhere")
        // A script's own Date is kept, not doubled; otherwise the gateway adds one.
        let dated = try get(gateway.connect(), "/dated.cgi")
        #expect(dated.headers.filter { $0.name == "Date" }.map(\.value) == ["Sun, 06 Nov 1994 08:49:37 GMT"])
        #expect(tea.headers.filter { $0.name == "Date" }.count == 1)
    }

    /// RFC 3875 §6.2.2: the client gets what the local path answers, not a redirect.
    @Test func aLocalRedirectIsServedInPlaceAndALoopIs500() throws {
        let scripts = try Scripts()
        let gateway = try GatewayProcess(["--cgidir=\(scripts.root)"])
        let local = try get(gateway.connect(), "/local.cgi")
        #expect(local.status == 200)
        #expect(local.body == "hello")
        #expect(try get(gateway.connect(), "/loop.cgi").status == 500)
        try gateway.process.waitForOutputLine(containing: "local redirect to /loop.cgi refused")
    }

    @Test func aLengthOrChunkedResponseKeepsTheConnectionAndHTTP10EndsIt() throws {
        let scripts = try Scripts()
        let gateway = try GatewayProcess(["--cgidir=\(scripts.root)"])
        let client = try gateway.connect()
        for path in ["/sized.cgi", "/env.cgi", "/sized.cgi"] {
            let response = try get(client, path)
            #expect(response.status == 200)
            #expect(response.header("Connection") == nil)
        }
        let old = try gateway.connect()
        let response = try get(old, "/env.cgi", version: "1.0")
        #expect(response.header("Transfer-Encoding") == nil)
        #expect(response.body.contains("GATEWAY_INTERFACE=CGI/1.1"))
        #expect(try old.waitForEOF())
    }

    @Test func headGetsTheHeadOnly() throws {
        let scripts = try Scripts()
        let gateway = try GatewayProcess(["--cgidir=\(scripts.root)"])
        let client = try gateway.connect()
        let response = try get(client, "/sized.cgi", method: "HEAD")
        #expect(response.status == 200)
        #expect(response.header("Content-Length") == "5")
        // The connection is ready for the next request: no body bytes were left on it.
        #expect(try get(client, "/sized.cgi").body == "hello")
    }

    @Test(arguments: ["/garbage.cgi", "/untyped.cgi", "/silent.cgi"])
    func malformedOrMissingOutputIs502(path: String) throws {
        let scripts = try Scripts()
        let gateway = try GatewayProcess(["--cgidir=\(scripts.root)"])
        #expect(try get(gateway.connect(), path).status == 502)
        try gateway.process.waitForOutputLine(containing: "CGI: ")
    }

    /// Only an exact file path runs a script; what is not one falls through (404 here).
    @Test(arguments: ["/env.cgi/extra", "/sub", "/sub/", "/.hidden.cgi", "/missing.cgi", "/../cgi/env.cgi"])
    func whatIsNotAScriptFallsThrough(path: String) throws {
        let scripts = try Scripts()
        let gateway = try GatewayProcess(["--cgidir=\(scripts.root)"])
        #expect(try get(gateway.connect(), path).status == 404)
    }

    @Test func aFileThatCannotBeExecutedIs500() throws {
        let scripts = try Scripts()
        let gateway = try GatewayProcess(["--cgidir=\(scripts.root)"])
        #expect(try get(gateway.connect(), "/plain.txt").status == 500)
        try gateway.process.waitForOutputLine(containing: "Could not launch CGI script")
    }

    /// A script waiting for its body holds a `--maxforks` slot: the next request gets 429.
    @Test func scriptsCountAgainstMaxforks() throws {
        let scripts = try Scripts()
        let gateway = try GatewayProcess(["--cgidir=\(scripts.root)", "--maxforks=1"])
        let waiting = try gateway.connect()
        try waiting.send(request("/wait.cgi", method: "POST", headers: [("Content-Length", "6")], body: "abc"))
        // The head comes once the script runs; it then waits for the rest of its body.
        #expect(try waiting.readHTTPResponse(toHead: true).status == 200)
        #expect(try get(gateway.connect(), "/sized.cgi").status == 429)
        try waiting.send("de\n")
        #expect(try waiting.readChunkedBody() == "got abcde")
    }

    /// A script writes 200 MB to a client that reads nothing: the script is stopped by its
    /// full pipe, not buffered; then the client reads every byte.
    @Test func aClientThatDoesNotReadStopsTheScriptNotWsgatesMemory() throws {
        let total = 200_000_000
        let scripts = try Scripts()
        try scripts.script("flood.cgi", "printf 'Content-Type: application/octet-stream\\n\\n'; exec \(ProgramBackpressureTests.testcmd) flood \(total)")
        let gateway = try GatewayProcess(["--cgidir=\(scripts.root)"])
        let before = try #require(gateway.process.residentKilobytes)
        let client = try gateway.connect()
        try client.send(request("/flood.cgi", version: "1.0"))
        #expect(try client.readHTTPResponse(toHead: true).status == 200)
        let pid = try #require(ProcessTable.children(of: gateway.process.pid).first?.pid)
        #expect(ProgramBackpressureTests.waitUntilWritingStalls(pid))
        let written = ProgramBackpressureTests.bytesWritten(pid) ?? 0
        #expect(written < 64 << 20, "the script could write \(written) bytes to a client that reads nothing")
        expectRSSGrowth(from: before, to: try #require(gateway.process.residentKilobytes), below: ProgramBackpressureTests.limitKiB)
        var received = 0
        while case let count = try client.readAvailableBytes(timeout: 30), count > 0 { received += count }
        #expect(received == total)
    }

    /// A script that never reads its stdin: the client's upload stops at the buffers' size.
    @Test func aScriptThatDoesNotReadStopsTheUploadNotWsgatesMemory() throws {
        let scripts = try Scripts()
        try scripts.script("deaf.cgi", "exec sleep 1000")
        let gateway = try GatewayProcess(["--cgidir=\(scripts.root)", "--cgi-max-body=1000000000"])
        let before = try #require(gateway.process.residentKilobytes)
        let client = try gateway.connect()
        try client.send(request("/deaf.cgi", method: "POST", headers: [("Content-Length", "900000000")]))
        let sent = try client.sendUntilStalled(TestClient.randomBytes(65536), limit: 900_000_000)
        #expect(sent < 64 << 20, "a script that reads nothing was sent \(sent) bytes")
        expectRSSGrowth(from: before, to: try #require(gateway.process.residentKilobytes), below: ProgramBackpressureTests.limitKiB)
    }

    /// The client leaves while the script runs: the script gets the kill sequence.
    @Test func aScriptIsKilledWhenTheClientLeaves() throws {
        let scripts = try Scripts()
        let gateway = try GatewayProcess(["--cgidir=\(scripts.root)"])
        let client = try gateway.connect()
        try client.send(request("/pid.cgi", version: "1.0"))
        let head = try client.readHTTPResponse(toHead: true)
        #expect(head.status == 200)
        var pidText = ""
        while !pidText.hasSuffix("\n") { pidText += try client.readAvailableText() }
        let pid = try #require(Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(ProcessTable.isRunning(pid))
        client.close()
        #expect(ProcessTable.wait(upTo: 10) { !ProcessTable.isRunning(pid) })
    }
}
