import Glibc

/// The `emit` mode: the backend of the fan-out benchmark (`wsgate-bench fanout`).
///
/// It exists so wsgate and the reference room server run the very same cheap program: it waits
/// for a first stdin line (the bench client's "go", sent once all clients are in the room),
/// then writes `--count` lines at `--rate` lines per second, each `--size` bytes before its
/// "\n", one write(2) per line. A line starts with its sequence number and the CLOCK_MONOTONIC
/// time just before its write (system-wide, so a client process on the same machine can take
/// the delay), then 'x' padding: `0000000042 0001234567890123456 xxx…`. Pacing is absolute
/// (line i is due at start + i/rate): a writer held back by a full pipe catches up in a burst
/// instead of drifting. Afterwards it reads stdin until EOF and exits 0, so the room stays up
/// until its clients leave.
enum EmitMode {
    /// Sequence number, space, send time (19 digits: any Int64 nanoseconds), space.
    static let headerLength = 31
    static let maximumRate = 10_000_000
    static let maximumCount = 1_000_000_000
    static let maximumSize = 1 << 20

    /// `emit --rate=M --size=S --count=K`.
    static func run(_ arguments: [String]) -> Never {
        var rate = 0, size = 0, count = 0
        for argument in arguments {
            let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { Usage.fail("emit: unexpected argument '\(argument)'") }
            switch parts[0] {
            case "--rate": rate = Usage.integer(parts[1], "--rate", in: 1...maximumRate)
            case "--size": size = Usage.integer(parts[1], "--size", in: headerLength...maximumSize)
            case "--count": count = Usage.integer(parts[1], "--count", in: 0...maximumCount)
            default: Usage.fail("emit: unknown option '\(parts[0])'")
            }
        }
        guard rate > 0, size > 0 else { Usage.fail("usage: \(Mode.named("emit")?.usage ?? "emit")") }
        guard waitForFirstLine() else { Glibc.exit(0) }
        emit(rate: rate, size: size, count: count)
        StandardInput.forEachChunk { _ in }
        Glibc.exit(0)
    }

    /// Reads stdin up to its first "\n"; false at EOF before one.
    private static func waitForFirstLine() -> Bool {
        var byte: UInt8 = 0
        while true {
            let count = read(STDIN_FILENO, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return false }
            if byte == UInt8(ascii: "\n") { return true }
        }
    }

    private static func emit(rate: Int, size: Int, count: Int) {
        var line = [UInt8](repeating: UInt8(ascii: "x"), count: size + 1)
        line[10] = UInt8(ascii: " ")
        line[headerLength - 1] = UInt8(ascii: " ")
        line[size] = UInt8(ascii: "\n")
        let start = now()
        line.withUnsafeMutableBytes { bytes in
            for index in 0 ..< count {
                let due = start + Int64(index) * 1_000_000_000 / Int64(rate)
                if now() < due { sleep(until: due) }
                writeDigits(Int64(index), width: 10, into: bytes, at: 0)
                writeDigits(now(), width: 19, into: bytes, at: 11)
                Output.standardOutput.writeOrExit(UnsafeRawBufferPointer(bytes))
            }
        }
    }

    /// `value` as `width` decimal digits, zero-padded, at `offset`.
    private static func writeDigits(_ value: Int64, width: Int, into bytes: UnsafeMutableRawBufferPointer, at offset: Int) {
        var rest = value
        for position in stride(from: offset + width - 1, through: offset, by: -1) {
            bytes[position] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
    }

    private static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }

    private static func sleep(until deadline: Int64) {
        var spec = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &spec, nil) == EINTR {}
    }
}
