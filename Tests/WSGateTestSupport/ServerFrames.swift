/// Splits the bytes a client received into unmasked server frames.
///
/// Why it exists: room tests read what a client got as raw bytes (a socket pair in the harness,
/// a flood read to EOF through the binary) and need its frames, complete ones only.
public enum ServerFrames {
    public static func decode(_ bytes: [UInt8]) -> [(opcode: UInt8, payload: [UInt8])] {
        var frames: [(UInt8, [UInt8])] = []
        var index = 0
        while index + 2 <= bytes.count {
            let opcode = bytes[index] & 0x0F
            guard bytes[index + 1] & 0x80 == 0 else { break }  // a server frame is never masked
            var length = Int(bytes[index + 1] & 0x7F)
            var start = index + 2
            if length == 126 {
                guard start + 2 <= bytes.count else { break }
                length = Int(bytes[start]) << 8 | Int(bytes[start + 1])
                start += 2
            } else if length == 127 {
                guard start + 8 <= bytes.count else { break }
                length = bytes[start ..< start + 8].reduce(0) { $0 << 8 | Int($1) }
                start += 8
            }
            guard length >= 0, start + length <= bytes.count else { break }
            frames.append((opcode, Array(bytes[start ..< start + length])))
            index = start + length
        }
        return frames
    }
}
