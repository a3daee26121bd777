import Testing
import WSGateCore
import WSGateHTTP

func serialized(_ head: HTTPResponseHead) -> String {
    var buffer = ByteBuffer()
    head.write(into: &buffer)
    return String(decoding: buffer.readableBytesArray, as: UTF8.self)
}

@Test(.timeLimit(.minutes(10))) func upgradeResponseBytesAreExact() {
    let head = HTTPResponseHead(status: .switchingProtocols, headers: [
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Accept": "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
    ])
    var buffer = ByteBuffer(bytes: [0xAA])
    head.write(into: &buffer)
    #expect(buffer.readableBytesArray == [0xAA] + bytes(
        "HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
            + "\r\n"))
}

@Test(.timeLimit(.minutes(10))) func headWithoutFieldsEndsWithOneEmptyLine() {
    #expect(serialized(HTTPResponseHead(status: .ok)) == "HTTP/1.1 200 OK\r\n\r\n")
}

@Test(.timeLimit(.minutes(10))) func plainTextAnswerBytesAreExact() {
    let (head, body) = HTTPResponseHead.plainText(.notFound)
    #expect(body == bytes("404 Not Found\n"))
    #expect(serialized(head) ==
        "HTTP/1.1 404 Not Found\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n"
        + "Content-Length: 14\r\n"
        + "Connection: close\r\n"
        + "\r\n")
}

@Test(.timeLimit(.minutes(10))) func plainTextCountsBytesNotCharactersAndAppendsExtraHeaders() {
    let (head, body) = HTTPResponseHead.plainText(
        .upgradeRequired, body: "WebSocket only — sorry\n", extraHeaders: ["Sec-WebSocket-Version": "13"])
    #expect(body == bytes("WebSocket only — sorry\n"))
    #expect(body.count == 25)
    #expect(head.status == .upgradeRequired)
    #expect(serialized(head) ==
        "HTTP/1.1 426 Upgrade Required\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n"
        + "Content-Length: 25\r\n"
        + "Connection: close\r\n"
        + "Sec-WebSocket-Version: 13\r\n"
        + "\r\n")
    let (empty, emptyBody) = HTTPResponseHead.plainText(.tooManyRequests, body: "")
    #expect(emptyBody.isEmpty)
    #expect(empty.headers.first("Content-Length") == "0")
}

@Test(.timeLimit(.minutes(10))) func unsafeBytesCannotSplitTheResponse() {
    let head = HTTPResponseHead(status: HTTPStatus(code: 400, reasonPhrase: "Bad\r\nX: y"), headers: [
        "X-Value": "a\r\nSet-Cookie: evil\u{0}\u{7F}",
        "Bad Name": "dropped",
        "Bad\r\nName": "dropped",
        "Tab": "a\tb caf\u{E9}",
    ])
    #expect(serialized(head) ==
        "HTTP/1.1 400 Bad  X: y\r\n"
        + "X-Value: a  Set-Cookie: evil  \r\n"
        + "Tab: a\tb caf\u{E9}\r\n"
        + "\r\n")
}
