import Glibc
import Testing
import WSGateTestSupport

/// A stdout nobody reads (a full pipe) must not stall the gateway: connections are served
/// while the log waits, lines that do not fit the log's queue are counted, and the count is
/// written once stdout drains; no line is ever cut or mixed with another.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct StalledLogReaderTests {
    /// The request-target of the `index`-th request: numbered, padded to 8 KiB so that a few
    /// hundred log lines overflow the pipe (64 KiB) and the queue (1 MiB).
    static func path(_ index: Int) -> String {
        let number = String(index)
        return "/" + String(repeating: "0", count: 4 - number.count) + number + "-" + String(repeating: "p", count: 8_000)
    }

    @Test func connectionsAreServedWhileStdoutIsBlockedAndTheDropsAreCounted() throws {
        let gateway = try GatewayProcess(["--echo", "--threads=1"])
        try gateway.process.waitForOutputLine(containing: "Serving using built-in")
        gateway.process.pauseReadingOutput()

        // 600 lines of 8 KiB: the pipe, then the queue fill; each answer (a 404, then the
        // connection closes) is a round trip on the one loop, which a blocking write of the log
        // would stop.
        let requests = 600
        for index in 0..<requests {
            let client = try gateway.connect()
            try client.send("GET \(Self.path(index)) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let response = try client.readHTTPResponse()
            #expect(response.status == 404)
        }
        let session = try gateway.openWebSocket()
        try session.send(FrameBytes.text("served while the log waits"))
        #expect(try session.readMessage().text == "served while the log waits")

        gateway.process.resumeReadingOutput()
        let notice = try gateway.process.waitForOutputLine(containing: "log lines dropped: ")
        let dropped = try #require(Int(notice.split(separator: " ").last ?? ""))
        #expect(dropped > 0)
        #expect(notice.contains(" | ERROR  | server     |  | log lines dropped: "))
        gateway.process.send(signal: SIGTERM)
        #expect(try gateway.process.waitForExit() == 0)

        // Every line whole: the written requests are the first ones, in order, each with its
        // whole target; with the dropped ones they make every line logged since the pause
        // (the 600 answers and the session's CONNECT).
        let output = gateway.process.standardOutput
        #expect(output.hasSuffix("\n"))
        let lines = output.split(separator: "\n")
        let answers = lines.filter { $0.contains("| ACCESS | http ") }
        let expectedAnswers = (0..<answers.count).map {
            "| ACCESS | http       | url:'http://127.0.0.1\(Self.path($0))' | NOT FOUND"
        }
        #expect(zip(answers, expectedAnswers).allSatisfy { $0.hasSuffix($1) })
        #expect(answers.count < requests)
        let connects = lines.filter { $0.hasSuffix(" | CONNECT") }.count
        #expect(answers.count + connects + dropped == requests + 1)
        let start = try Regex(#"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000 \| (INFO  |ACCESS|ERROR ) \| "#)
        for line in lines {
            #expect(line.prefixMatch(of: start) != nil, "not a whole line: \(line.prefix(200))")
        }
        #expect(lines.filter { $0.contains("log lines dropped") }.count == 1)
        #expect(output.contains("Received SIGTERM"))
    }
}
