import Testing
import WSGateHTTP

let firefoxLike: HTTPHeaders = [
    "Host": "example.com",
    "Connection": "keep-alive, Upgrade",
    "Sec-WebSocket-Protocol": "chat,  superchat",
    "sec-websocket-protocol": "\tv2.json ,,",
    "Upgrade": "websocket",
    "X-Empty": "",
]

@Test(.timeLimit(.minutes(10))) func lookupsIgnoreNameCase() {
    #expect(firefoxLike.first("HOST") == "example.com")
    #expect(firefoxLike.first("upgrade") == "websocket")
    #expect(firefoxLike.first("Missing") == nil)
    #expect(firefoxLike.first("X-Empty") == "")
    #expect(firefoxLike.contains("x-empty"))
    #expect(!firefoxLike.contains("X-Emptyy"))
    #expect(!firefoxLike.contains("X-Empt"))
    #expect(firefoxLike.values("SEC-WEBSOCKET-PROTOCOL") == ["chat,  superchat", "\tv2.json ,,"])
    #expect(firefoxLike.values("Nothing") == [])
}

@Test(.timeLimit(.minutes(10))) func fieldsKeepOrderAndSpelling() {
    var headers = HTTPHeaders()
    #expect(headers.isEmpty)
    headers.add(name: "Vary", value: "a")
    headers.add(name: "x-lower", value: "1")
    headers.add(name: "VARY", value: "b")
    #expect(headers.count == 3)
    #expect(headers.map(\.name) == ["Vary", "x-lower", "VARY"])
    #expect(headers.map(\.value) == ["a", "1", "b"])
    #expect(headers.first("vary") == "a")
    #expect(headers.values("vary") == ["a", "b"])
    let literal: HTTPHeaders = ["Vary": "a", "x-lower": "1", "VARY": "b"]
    #expect(headers == literal)
    let reordered: HTTPHeaders = ["x-lower": "1", "Vary": "a", "VARY": "b"]
    #expect(headers != reordered)
    let respelled: HTTPHeaders = ["vary": "a", "x-lower": "1", "VARY": "b"]
    #expect(headers != respelled)
}

@Test(.timeLimit(.minutes(10))) func tokensSplitEveryOccurrenceInOrder() {
    #expect(firefoxLike.tokens("Sec-WebSocket-Protocol") == ["chat", "superchat", "v2.json"])
    #expect(firefoxLike.tokens("connection") == ["keep-alive", "Upgrade"])
    #expect(firefoxLike.tokens("X-Empty") == [])
    #expect(firefoxLike.tokens("Missing") == [])
    let spaced: HTTPHeaders = ["A": " , x y ,\t z\t, "]
    #expect(spaced.tokens("a") == ["x y", "z"])
}

struct TokenCase: Sendable, CustomTestStringConvertible {
    let values: [String]
    let token: String
    let expected: Bool
    var testDescription: String { "\(values) contains \(token): \(expected)" }
}

@Test(.timeLimit(.minutes(10)), arguments: [
    TokenCase(values: ["Upgrade"], token: "upgrade", expected: true),
    TokenCase(values: ["keep-alive, Upgrade"], token: "Upgrade", expected: true),
    TokenCase(values: ["keep-alive,Upgrade"], token: "upgrade", expected: true),
    TokenCase(values: ["keep-alive", "UPGRADE"], token: "upgrade", expected: true),
    TokenCase(values: [" \tUpgrade\t "], token: "upgrade", expected: true),
    TokenCase(values: ["keep-alive"], token: "upgrade", expected: false),
    TokenCase(values: ["Upgrades"], token: "upgrade", expected: false),
    TokenCase(values: ["pre-Upgrade"], token: "upgrade", expected: false),
    TokenCase(values: ["Up grade"], token: "upgrade", expected: false),
    TokenCase(values: ["Upgrade;q=1"], token: "upgrade", expected: false),
    TokenCase(values: [], token: "upgrade", expected: false),
    TokenCase(values: [",,"], token: "", expected: false),
])
func containsTokenMatchesWholeListElementsIgnoringCase(_ testCase: TokenCase) {
    var headers: HTTPHeaders = ["Other": "upgrade"]
    for value in testCase.values { headers.add(name: "Connection", value: value) }
    #expect(headers.containsToken(testCase.token, in: "connection") == testCase.expected)
}

@Test(.timeLimit(.minutes(10))) func nameAndValueValidity() {
    #expect(HTTPHeaders.isValidName("Sec-WebSocket-Accept"))
    #expect(HTTPHeaders.isValidName("x!#$%&'*+-.^_`|~9"))
    #expect(!HTTPHeaders.isValidName(""))
    #expect(!HTTPHeaders.isValidName("X Y"))
    #expect(!HTTPHeaders.isValidName("X:"))
    #expect(!HTTPHeaders.isValidName("Caf\u{E9}"))
    #expect(HTTPHeaders.isValidValue(""))
    #expect(HTTPHeaders.isValidValue("a \t b caf\u{E9}"))
    #expect(!HTTPHeaders.isValidValue(" a"))
    #expect(!HTTPHeaders.isValidValue("a\t"))
    #expect(!HTTPHeaders.isValidValue("a\r\nSet-Cookie: x"))
    #expect(!HTTPHeaders.isValidValue("a\u{0}"))
    #expect(!HTTPHeaders.isValidValue("a\u{7F}"))
}

@Test(.timeLimit(.minutes(10))) func combinedValueJoinsEveryLineInOrder() {
    #expect(firefoxLike.combinedValue("sec-websocket-protocol") == "chat,  superchat, \tv2.json ,,")
    #expect(firefoxLike.combinedValue("HOST") == "example.com")
    #expect(firefoxLike.combinedValue("X-Empty") == "")
    #expect(firefoxLike.combinedValue("Missing") == nil)
}
