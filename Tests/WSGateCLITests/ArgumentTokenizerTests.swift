import Testing
@testable import WSGateCLI

@Suite(.timeLimit(.minutes(10))) struct ArgumentTokenizerTests {
    static let words: [(String, ArgumentToken?)] = [
        ("--", .endOfFlags),
        ("-", .operand), ("", .operand), ("x", .operand), ("x-y", .operand), ("./run.sh", .operand),
        ("-p", .flag(name: "p", inlineValue: nil)),
        ("--port", .flag(name: "port", inlineValue: nil)),
        ("-port=1", .flag(name: "port", inlineValue: "1")),
        ("--port=", .flag(name: "port", inlineValue: "")),
        ("--header=K: a=b", .flag(name: "header", inlineValue: "K: a=b")),
        ("--p==", .flag(name: "p", inlineValue: "=")),
        ("-é=ü", .flag(name: "é", inlineValue: "ü")),
        ("---", nil), ("---x", nil), ("-=x", nil), ("--=x", nil), ("--=", nil), ("-=", nil),
    ]

    /// nil expected: "bad flag syntax".
    @Test(arguments: words)
    func classify(_ word: String, _ expected: ArgumentToken?) {
        do {
            let token = try ArgumentTokenizer.classify(word)
            #expect(token == expected)
        } catch {
            #expect(expected == nil)
            #expect(error == .badFlagSyntax(word: word))
        }
    }
}
