import Testing
import WSGateTestSupport
import WSGateWebSocket

/// The examples the README runs, served by the real binary.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct ExampleTests {
    static func example(_ name: String) -> String { Executables.packageRoot + "/examples/" + name }

    /// The seed scenario: greets on connect, answers every message, logs the close.
    @Test func helloGreetsAnswersAndLogsTheClose() throws {
        let gateway = try GatewayProcess([Self.example("hello.sh")])
        let client = try gateway.openWebSocket()
        #expect(try client.readMessage().text == "Hello, client!")
        try client.send(FrameBytes.text("how are you?"))
        #expect(try client.readMessage().text == "Received message: how are you?")
        try client.send(FrameBytes.close(code: 1000))
        #expect(try client.readFrame().closeCode == 1000)
        let line = try gateway.process.waitForOutputLine(containing: "client disconnected")
        #expect(line.contains("| stderr "))
        try gateway.process.waitForOutputLine(containing: "DISCONNECT")
    }

    @Test func greeterGreetsEachLine() throws {
        let gateway = try GatewayProcess([Self.example("greeter.sh")])
        let client = try gateway.openWebSocket()
        try client.send(FrameBytes.text("Ada"))
        #expect(try client.readMessage().text == "Hello, Ada!")
    }

    @Test func envListsTheCGIEnvironment() throws {
        let gateway = try GatewayProcess([Self.example("env.sh")])
        let client = try gateway.openWebSocket(path: "/?greeting=hello")
        var lines: [String] = []
        while true {
            let frame = try client.readMessage()
            if frame.opcode == .close { break }
            lines.append(frame.text)
        }
        #expect(lines.contains("QUERY_STRING=greeting=hello"))
        #expect(lines.contains("GATEWAY_INTERFACE=websocketd-CGI/0.1"))
    }

    @Test func theCGIExampleAnswersPlainHTTP() throws {
        let gateway = try GatewayProcess(["--cgidir=" + Self.example("cgi")])
        let client = try gateway.connect()
        try client.send("GET /hello.cgi?you HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let response = try client.readHTTPResponse()
        #expect(response.status == 200)
        #expect(response.body == "hello you, from GET /hello.cgi\n")
    }

    @Test func countCountsToTenThenCloses1000() throws {
        let gateway = try GatewayProcess([Self.example("count.sh")])
        let client = try gateway.openWebSocket()
        for number in 1...10 {
            #expect(try client.readMessage(timeout: 15).text == String(number))
        }
        #expect(try client.readFrame(timeout: 15).closeCode == 1000)
    }
}
