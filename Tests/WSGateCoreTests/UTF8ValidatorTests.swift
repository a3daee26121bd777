import Testing
import WSGateCore

@Suite(.timeLimit(.minutes(10))) struct UTF8ValidatorTests {
    /// Runs the validator over `pieces` and returns its final verdict.
    static func verdict(_ pieces: [ArraySlice<UInt8>]) -> Bool {
        var validator = UTF8Validator()
        for piece in pieces {
            let ok = Array(piece).withUnsafeBytes { validator.validate($0) }
            if !ok { return false }
        }
        return validator.isAtCharacterBoundary
    }

    static func feed(_ validator: inout UTF8Validator, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { validator.validate($0) }
    }

    /// Index of the first byte for which the validator returns false, fed one byte at a time.
    static func firstRejectedIndex(_ bytes: [UInt8]) -> Int? {
        var validator = UTF8Validator()
        for (index, byte) in bytes.enumerated() {
            let ok = [byte].withUnsafeBytes { validator.validate($0) }
            if !ok { return index }
        }
        return nil
    }

    @Test(arguments: UTF8Vector.table)
    func wholeVerdict(_ vector: UTF8Vector) {
        #expect(Self.verdict([vector.bytes[...]]) == vector.isValid)
    }

    @Test(arguments: UTF8Vector.table)
    func everySplitPointGivesTheSameVerdict(_ vector: UTF8Vector) {
        for split in 0 ... vector.bytes.count {
            let verdict = Self.verdict([vector.bytes[..<split], vector.bytes[split...]])
            #expect(verdict == vector.isValid, "split at \(split)")
        }
        let bytewise = Self.verdict(vector.bytes.map { [$0][...] })
        #expect(bytewise == vector.isValid, "one byte at a time")
    }

    @Test(arguments: UTF8Vector.table)
    func failsAtTheFirstImpossibleByte(_ vector: UTF8Vector) {
        #expect(Self.firstRejectedIndex(vector.bytes) == vector.failIndex)
    }

    /// The whole-buffer call fails exactly when the prefix up to the fail index fails: checks
    /// that the fast path does not skip the failing byte or report it early.
    @Test(arguments: UTF8Vector.table)
    func prefixesAgreeWithTheFailIndex(_ vector: UTF8Vector) {
        for length in 0 ... vector.bytes.count {
            var validator = UTF8Validator()
            let ok = Array(vector.bytes[..<length]).withUnsafeBytes { validator.validate($0) }
            let expected = vector.failIndex.map { length <= $0 } ?? true
            #expect(ok == expected, "prefix of \(length) bytes")
        }
    }

    /// A bad byte at every position of an ASCII run (crossing the 8-byte fast path).
    @Test func badByteAtEveryPositionOfAnASCIIRun() {
        for position in 0 ..< 40 {
            var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: 40)
            bytes[position] = 0xFF
            #expect(Self.verdict([bytes[...]]) == false, "FF at \(position)")
            #expect(Self.firstRejectedIndex(bytes) == position)
            bytes[position] = 0x7F
            #expect(Self.verdict([bytes[...]]) == true, "7F at \(position)")
        }
    }

    @Test func multiByteCharacterAtEveryPositionOfAnASCIIRun() {
        for position in 0 ..< 37 {
            var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: 40)
            bytes.replaceSubrange(position ..< position + 3, with: [0xE2, 0x82, 0xAC]) // €
            #expect(Self.verdict([bytes[...]]) == true, "€ at \(position)")
            bytes[position + 1] = 0x41
            #expect(Self.verdict([bytes[...]]) == false, "broken € at \(position)")
        }
    }

    /// Agreement with the standard library's validation on every 1- and 2-byte input and on
    /// 3- and 4-byte inputs made of the interesting bytes.
    @Test func agreesWithTheStandardLibrary() {
        func reference(_ bytes: [UInt8]) -> Bool { String(validating: bytes, as: UTF8.self) != nil }
        for a in 0 ... 255 {
            #expect(Self.verdict([[UInt8(a)][...]]) == reference([UInt8(a)]))
            for b in 0 ... 255 {
                let bytes = [UInt8(a), UInt8(b)]
                if Self.verdict([bytes[...]]) != reference(bytes) {
                    Issue.record("disagreement on \(bytes)")
                }
            }
        }
        let interesting: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2,
                                    0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF]
        for a in interesting {
            for b in interesting {
                for c in interesting {
                    if Self.verdict([[a, b, c][...]]) != reference([a, b, c]) {
                        Issue.record("disagreement on \([a, b, c])")
                    }
                    for d in interesting where Self.verdict([[a, b, c, d][...]]) != reference([a, b, c, d]) {
                        Issue.record("disagreement on \([a, b, c, d])")
                    }
                }
            }
        }
    }

    @Test func staysFailedUntilReset() {
        var validator = UTF8Validator()
        #expect(Self.feed(&validator, [0xC0]) == false)
        #expect(validator.hasFailed)
        #expect(!validator.isAtCharacterBoundary)
        #expect(Self.feed(&validator, Array("ok".utf8)) == false)
        validator.reset()
        #expect(Self.feed(&validator, Array("ok".utf8)) == true)
        #expect(validator.isAtCharacterBoundary)
    }

    @Test func resetForgetsAPartialSequence() {
        var validator = UTF8Validator()
        #expect(Self.feed(&validator, [0xE2, 0x82]))
        #expect(!validator.isAtCharacterBoundary)
        validator.reset()
        #expect(validator.isAtCharacterBoundary)
        #expect(Self.feed(&validator, [0x41]))
    }

    @Test func byteBufferConveniences() {
        var validator = UTF8Validator()
        let first = validator.validate(ByteBuffer(bytes: [0xCE]))
        #expect(first)
        #expect(!validator.isAtCharacterBoundary)
        let second = validator.validate(ByteBuffer(bytes: [0xBA]))
        #expect(second)
        #expect(validator.isAtCharacterBoundary)
        #expect(UTF8Validator.isValid(ByteBuffer(string: "κόσμε")))
        #expect(!UTF8Validator.isValid(ByteBuffer(bytes: [0xCE])))
        #expect(!UTF8Validator.isValid(ByteBuffer(bytes: [0xED, 0xA0, 0x80])))
    }
}
