import Foundation
import Testing
import WSGateCompression
import WSGateCore

/// A decompression bomb: about 1 MiB of compressed data that inflates to 1 GiB of zeros. Pieces
/// let the caller stop or keep going without ever holding more than one piece.
@Suite(.timeLimit(.minutes(10))) struct InflateBombTests {
    static let inflatedSize = 1 << 30

    /// 1024 messages of 1 MiB of zeros through one deflater with context takeover, joined with
    /// the tails it removed: one DEFLATE stream, made without allocating the gibibyte.
    static let bomb: ByteBuffer = {
        let deflater = MessageDeflater(windowBits: 15, level: 9, noContextTakeover: false)
        let zeros = ByteBuffer(bytes: [UInt8](repeating: 0, count: 1 << 20))
        var bomb = ByteBuffer()
        for index in 0..<(inflatedSize >> 20) {
            if index > 0 { bomb.writeBytes([0x00, 0x00, 0xFF, 0xFF]) }
            bomb.writeBuffer(deflater.compress(zeros)!)
        }
        return bomb
    }()

    /// The process's resident memory, from /proc/self/statm.
    static func residentBytes() -> Int {
        let statm = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? ""
        let pages = statm.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    @Test func aGibibyteOfZerosComesOutInLittleMemory() throws {
        #expect(Self.bomb.readableBytes < 2 << 20)
        let inflater = MessageInflater(windowBits: 15, noContextTakeover: true)
        inflater.feed(Self.bomb)
        inflater.finishMessage()
        let before = Self.residentBytes()
        var peak = before
        var total = 0
        while let piece = try inflater.nextPiece(maxBytes: 64 * 1024) {
            #expect(piece[0] == 0 && piece[piece.readableBytes - 1] == 0)
            total += piece.readableBytes
            if total % (32 << 20) < piece.readableBytes { peak = max(peak, Self.residentBytes()) }
        }
        #expect(total == Self.inflatedSize)
        #expect(peak - before < 32 << 20, "resident memory grew by \(peak - before) bytes")
        #expect(!inflater.holdsZlibState)
    }

    /// A caller at its limit stops taking pieces and drops the inflater mid-message.
    @Test func stoppingInTheMiddleAndReleasingIsFine() throws {
        var inflater: MessageInflater? = MessageInflater(windowBits: 15, noContextTakeover: false)
        inflater!.feed(Self.bomb)
        inflater!.finishMessage()
        var total = 0
        while total < 10 << 20, let piece = try inflater!.nextPiece(maxBytes: 1 << 20) { total += piece.readableBytes }
        #expect(total == 10 << 20)
        #expect(inflater!.hasQueuedInput)
        inflater = nil
    }
}
