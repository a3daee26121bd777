import Testing
import WSGateCore
import WSGateRelay
import WSGateTestSupport

@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct LineFramerTests {
    // MARK: - Line rules (websocketd's, as observed: docs/behaviour.md, 'Line framing')

    @Test func observedWebsocketdTextEdgeCases() {
        // The output observed through websocketd: line1\r\n, line2\n, \n, a tab line, a\rb.
        expectFraming(b("line1\r\nline2\n\n\ttab line\na\rb\n"),
                      [.t("line1"), .t("line2"), .t(""), .t("\ttab line"), .t("a\rb")])
    }

    @Test(arguments: [
        (b("hello\n"), [Out.t("hello")]),
        (b("\n"), [.t("")]),
        (b("\r\n"), [.t("")]),
        (b("\n\n"), [.t(""), .t("")]),
        (b("a\r\r\n"), [.t("a\r")]),  // only the "\r" right before "\n" goes
        (b("\r\r\n"), [.t("\r")]),
        (b("\ra\n"), [.t("\ra")]),
        (b("a\n\rb\n"), [.t("a"), .t("\rb")]),
        (b("héllo € 𝄞\n"), [.t("héllo € 𝄞")]),
        (b("one\ntwo\r\nthree\n"), [.t("one"), .t("two"), .t("three")]),
        ([], []),
    ])
    func splitsLines(_ input: [UInt8], _ expected: [Out]) {
        expectFraming(input, expected)
    }

    @Test(arguments: [
        (b("no-newline"), [Out.t("no-newline")]),
        (b("a\nlast"), [.t("a"), .t("last")]),
        (b("abc\r"), [.t("abc\r")]),  // a "\r" with no "\n" after it is content
        (b("\r"), [.t("\r")]),
        (b("a\n\r"), [.t("a"), .t("\r")]),
        ([0xFF], [.binary([0xFF])]),
    ])
    func finishSendsTheUnterminatedLine(_ input: [UInt8], _ expected: [Out]) {
        expectFraming(input, expected)
    }

    @Test func withoutFinishAnUnterminatedLineWaits() {
        expectFraming(b("done\nwaiting"), finish: false, [.t("done")])
        var framer = LineFramer(maxMessageSize: 100)
        var input = ByteBuffer(bytes: b("waiting"))
        var out: [Out] = []
        framer.consume(&input) { out.append(Out($0)) }
        #expect(out.isEmpty)
        #expect(framer.bufferedBytes == 7)
        framer.finish { out.append(Out($0)) }
        #expect(out == [.t("waiting")])
        framer.finish { out.append(Out($0)) }
        #expect(out == [.t("waiting")], "a second finish sends nothing")
    }

    // MARK: - UTF-8 (better: invalid lines go out as binary)

    @Test(arguments: [
        [0xFF, 0xFE, 0x41],  // the observed "\xff\xfe…" line
        [0xC0, 0xAF],  // overlong "/"
        [0xED, 0xA0, 0x80],  // surrogate U+D800
        [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
        [0x61, 0xE2, 0x82],  // truncated "€" at the end of the line
        [0x80],  // lone continuation byte
        [0xE2, 0x82, 0x0D],  // truncated character before a "\r" that is content... then "\n"
    ] as [[UInt8]])
    func invalidLineIsBinaryWithBytesKept(_ line: [UInt8]) {
        // A trailing "\r" in the last case is stripped with the "\n": the message is E2 82.
        let expected = line.last == 0x0D ? Array(line.dropLast()) : line
        expectFraming(line + [0x0A], [.binary(expected)])
    }

    @Test func mixedValidAndInvalidLines() {
        expectFraming(b("ok\n") + [0xC3, 0x28] + b("\n\n€\r\n") + [0xFF] + b("\r\nend"),
                      [.t("ok"), .binary([0xC3, 0x28]), .t(""), .t("€"), .binary([0xFF]), .t("end")])
    }

    @Test func invalidLineDoesNotTaintTheNextOne() {
        expectFraming([0xE2, 0x82, 0x0A, 0xAC, 0x0A] + b("x\n"),
                      [.binary([0xE2, 0x82]), .binary([0xAC]), .t("x")])
    }

    // MARK: - Long lines (better: pieces of at most maxMessageSize bytes)

    @Test(arguments: [
        (b("abcdefghij\n"), [Out.t("abcd"), .t("efgh"), .t("ij")]),
        (b("abcdefgh\n"), [.t("abcd"), .t("efgh")]),  // exact multiple: no empty piece
        (b("abcd\n"), [.t("abcd")]),  // exactly the limit: one message
        (b("abcd\r\n"), [.t("abcd")]),  // the "\r" of "\r\n" does not count
        (b("abcd\r"), [.t("abcd"), .t("\r")]),  // content "\r" at EOF: 5 bytes
        (b("abcd\rx\n"), [.t("abcd"), .t("\rx")]),
        (b("abcd\r\r\n"), [.t("abcd"), .t("\r")]),
        (b("abc\r\n"), [.t("abc")]),
        (b("abcde"), [.t("abcd"), .t("e")]),  // unterminated long line
        (b("abcdefgh\nxy\n"), [.t("abcd"), .t("efgh"), .t("xy")]),
    ])
    func longLineIsCutIntoPieces(_ input: [UInt8], _ expected: [Out]) {
        expectFraming(input, max: 4, expected)
    }

    @Test func cutsBeforeAnUnfinishedCharacter() {
        // "€" is E2 82 AC. With 4-byte pieces, each piece would end with the E2 of the next
        // "€"; the cut moves before it.
        expectFraming(b("€€€\n"), max: 4, [.t("€"), .t("€"), .t("€")])
        expectFraming(b("ab€cd\n"), max: 4, [.t("ab"), .t("€c"), .t("d")])
        expectFraming(b("a𝄞b\n"), max: 4, [.t("a"), .t("𝄞"), .t("b")])
    }

    @Test(arguments: [3, 5, 7, 11, 1025])
    func lineOfThreeByteCharactersStaysTextWithAnOddLimit(_ limit: Int) {
        let line = [UInt8](repeating: 0, count: 0) + Array(String(repeating: "€", count: 700).utf8)
        let out = frame([line[...], b("\n")[...]], max: limit)
        #expect(out.allSatisfy { if case .text = $0 { return true } else { return false } })
        #expect(out.flatMap(\.bytes) == line)
        let pieceSize = min(limit / 3 * 3, line.count)
        #expect(out.dropLast().allSatisfy { $0.bytes.count == pieceSize })
        #expect(out.count == (line.count + pieceSize - 1) / pieceSize)
        #expect(out.allSatisfy { isValidUTF8($0.bytes) })
    }

    @Test func characterLongerThanThePieceIsSentAsBinaryPieces() {
        // Limit 2 cannot hold "€": no boundary to cut at, so the bytes go out as they come.
        expectFraming(b("€\n"), max: 2, [.binary([0xE2, 0x82]), .binary([0xAC])])
        expectFraming(b("a€\n"), max: 2, [.t("a"), .binary([0xE2, 0x82]), .binary([0xAC])])
        expectFraming(b("ab\n"), max: 1, [.t("a"), .t("b")])
    }

    @Test func invalidBytesMakeOnlyTheirOwnPieceBinary() {
        expectFraming([0xFF] + b("abcdef\n"), max: 4, [.binary([0xFF] + b("abc")), .t("def")])
        // "ab" + a truncated "€" + "Xyz": the cut before E2 keeps "ab" as text; the next piece
        // (E2 82 X y) is invalid on its own.
        expectFraming(b("ab") + [0xE2, 0x82] + b("Xyz\n"), max: 4,
                      [.t("ab"), .binary([0xE2, 0x82] + b("Xy")), .t("z")])
    }

    @Test func fiveMegabyteLineGivesFivePiecesAndBoundedMemory() {
        let limit = 1 << 20
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
        var framer = LineFramer(maxMessageSize: limit)
        var sizes: [Int] = []
        var largestBuffered = 0
        for _ in 0 ..< 80 {  // 80 × 64 KiB = 5 MiB
            var input = ByteBuffer(bytes: chunk)
            framer.consume(&input) { message in
                guard case .text(let bytes) = message else { Issue.record("binary piece"); return }
                sizes.append(bytes.readableBytes)
            }
            largestBuffered = max(largestBuffered, framer.bufferedBytes)
        }
        var end = ByteBuffer(bytes: b("\n"))
        framer.consume(&end) { sizes.append($0.payload.readableBytes) }
        #expect(sizes == [Int](repeating: limit, count: 5))
        #expect(largestBuffered <= limit)
        #expect(framer.bufferedBytes == 0)
    }

    @Test func fiveMegabyteLineInOneReadIsCutWithoutBuffering() {
        let limit = 1 << 20
        var input = ByteBuffer(bytes: [UInt8](repeating: UInt8(ascii: "y"), count: 5 * limit) + b("\n"))
        var framer = LineFramer(maxMessageSize: limit)
        var sizes: [Int] = []
        framer.consume(&input) { sizes.append($0.payload.readableBytes) }
        #expect(sizes == [Int](repeating: limit, count: 5))
        #expect(framer.bufferedBytes == 0)
    }

    @Test(arguments: [0, -1])
    func nonPositiveLimitMeansTheDefault(_ limit: Int) {
        #expect(LineFramer(maxMessageSize: limit).maxMessageSize == LineFramer.defaultMaxMessageSize)
    }

    // MARK: - "\r\n" split across reads

    @Test func carriageReturnAtTheEndOfAReadIsHeldUntilTheNextByte() {
        var framer = LineFramer(maxMessageSize: 4)
        var out: [Out] = []
        var first = ByteBuffer(bytes: b("abcd\r"))
        framer.consume(&first) { out.append(Out($0)) }
        #expect(out.isEmpty, "a full piece followed by a possible terminator is not sent yet")
        #expect(framer.bufferedBytes == 4)
        var second = ByteBuffer(bytes: b("\n"))
        framer.consume(&second) { out.append(Out($0)) }
        #expect(out == [.t("abcd")])
    }

    @Test func crlfInThreeReads() {
        let out = frame([b("one\r")[...], b("\n")[...], b("two\r")[...], b("\r")[...], b("\n")[...]], max: 100)
        #expect(out == [.t("one"), .t("two\r")])
    }

    // MARK: - Copies

    @Test func wholeLineInTheInputIsASliceOfIt() {
        var framer = LineFramer(maxMessageSize: 100)
        var input = ByteBuffer(bytes: b("first\nsecond\n"))
        var messages: [LineMessage] = []
        framer.consume(&input) { messages.append($0) }
        #expect(messages.count == 2)
        let sharedWhileAlive = !input.hasUniquelyOwnedStorage()
        #expect(sharedWhileAlive, "the messages should share the input's storage")
        messages.removeAll()
        let uniqueAfterwards = input.hasUniquelyOwnedStorage()
        #expect(uniqueAfterwards)
    }

    @Test func unfinishedLineIsCopiedOutOfTheInput() {
        var framer = LineFramer(maxMessageSize: 100)
        var input = ByteBuffer(bytes: b("first\nunfinished"))
        var messages: [LineMessage] = []
        framer.consume(&input) { messages.append($0) }
        messages.removeAll()
        let unique = input.hasUniquelyOwnedStorage()
        #expect(unique, "the framer must not keep the input alive")
        #expect(framer.bufferedBytes == 10)
    }

    // MARK: - Everything against a simple model

    @Test(arguments: 0 ..< 40)
    func randomInputsMatchTheModelHoweverTheyAreSplit(_ seed: Int) {
        var random = SplitMix64(state: UInt64(seed) &* 0x1234_5678_9ABC_DEF1 &+ 1)
        let alphabet: [UInt8] = [0x61, 0x62, 0x0A, 0x0D, 0x0D, 0xE2, 0x82, 0xAC, 0xF0, 0x9D, 0x84, 0x9E, 0xC3, 0xA9, 0xFF, 0x80]
        let length = Int.random(in: 0 ... 60, using: &random)
        var input: [UInt8] = []
        for _ in 0 ..< length {
            // Mostly whole characters, so pieces have real boundaries to find.
            switch Int.random(in: 0 ..< 10, using: &random) {
            case 0: input += [0xE2, 0x82, 0xAC]
            case 1: input += [0xF0, 0x9D, 0x84, 0x9E]
            case 2: input += [0x0D, 0x0A]
            default: input.append(alphabet.randomElement(using: &random)!)
            }
        }
        let limit = Int.random(in: 1 ... 9, using: &random)
        let expected = referenceFraming(input, max: limit)
        expectFraming(input, max: limit, expected)
        // And in random chunks of random sizes.
        var chunks: [ArraySlice<UInt8>] = []
        var start = 0
        while start < input.count {
            let end = min(input.count, start + Int.random(in: 1 ... 7, using: &random))
            chunks.append(input[start ..< end])
            start = end
        }
        #expect(frame(chunks, max: limit) == expected)
    }
}
