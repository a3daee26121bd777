/// The header of one message of the fan-out backend (`wsgate-testcmd emit`):
/// `SEQUENCE(10 digits) SEND_NS(19 digits) ` and then padding.
///
/// Why it exists: the delay of a fan-out delivery is measured across processes, from the
/// emitter's write to the client's receipt; the emitter puts its CLOCK_MONOTONIC time (the
/// same clock system-wide) and a sequence number in every message, and this reads them back.
struct FanoutMessage {
    /// The bytes of the header, which the emitter's `--size` must exceed.
    static let headerLength = 31

    let sequence: Int
    let sentNanoseconds: Int64

    /// Parses the header at the start of `bytes`; nil if it is not one.
    init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= Self.headerLength, bytes[10] == UInt8(ascii: " "),
              bytes[Self.headerLength - 1] == UInt8(ascii: " "),
              let sequence = Self.number(bytes, 0 ..< 10), let sent = Self.number(bytes, 11 ..< 30) else { return nil }
        self.sequence = Int(sequence)
        sentNanoseconds = sent
    }

    private static func number(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int64? {
        var value: Int64 = 0
        for index in range {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int64(digit)
        }
        return value
    }
}
