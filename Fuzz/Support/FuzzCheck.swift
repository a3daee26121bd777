/// What every fuzz target shares: turning one input into chunk boundaries, and stopping with a
/// message when an invariant breaks.
///
/// Why it exists: a parser that answers differently when the same bytes arrive in other pieces
/// is as broken as one that crashes, so most targets feed their input twice, whole and cut at
/// points derived from the input itself (so a crash reproduces from the crash file alone).
enum FuzzCheck {
    /// Stops the process (libFuzzer saves the input as a crash) when `condition` is false.
    static func require(_ condition: Bool, _ message: @autoclosure () -> String,
                        file: StaticString = #fileID, line: UInt = #line) {
        if !condition { fatalError("invariant broken: \(message())", file: file, line: line) }
    }

    /// `bytes` cut into pieces of 1...16 bytes (mostly) or larger, at points that depend only
    /// on `bytes`: the same input always gives the same pieces.
    static func pieces(of bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var state = bytes.reduce(0x9E37_79B9_7F4A_7C15 as UInt64) { ($0 ^ UInt64($1)) &* 0x1000_0000_01B3 }
        var pieces: [ArraySlice<UInt8>] = []
        var start = 0
        while start < bytes.count {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            let length = Int((state >> 8) % (state % 4 == 0 ? 4096 : 16)) + 1
            let end = min(bytes.count, start + length)
            pieces.append(bytes[start..<end])
            start = end
        }
        return pieces
    }

    /// Runs `parse` on `input` whole and cut into `pieces(of:)` (and, if `input` has at most
    /// `byteByByteUpTo` bytes, one byte at a time: longer inputs would make a run quadratic),
    /// requires every outcome to be the same, and returns it.
    static func sameWholeAndInPieces<Outcome: Equatable>(_ input: [UInt8], byteByByteUpTo maxByteByByte: Int = 0,
                                                         _ parse: ([ArraySlice<UInt8>]) -> Outcome,
                                                         file: StaticString = #fileID, line: UInt = #line) -> Outcome {
        let whole = parse([input[...]])
        let inPieces = parse(pieces(of: input))
        require(whole == inPieces, "whole: \(whole), in pieces: \(inPieces)", file: file, line: line)
        if input.count <= maxByteByByte {
            let byteByByte = parse(input.indices.map { input[$0...$0] })
            require(whole == byteByByte, "whole: \(whole), byte by byte: \(byteByByte)", file: file, line: line)
        }
        return whole
    }

    /// A target input laid out as one flag byte and then text fields separated by NUL bytes:
    /// the flags and at most `count` fields (the last keeps any further NULs); nil if empty.
    static func flagsAndFields(_ input: [UInt8], count: Int) -> (flags: UInt8, fields: [String])? {
        guard let flags = input.first else { return nil }
        let fields = input.dropFirst().split(separator: 0, maxSplits: count - 1, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        return (flags, fields)
    }

    /// The fuzzer's input as an array.
    static func input(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
        Array(UnsafeBufferPointer(start: data, count: size))
    }
}
