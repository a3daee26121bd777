import Testing
import WSGateCompression
import WSGateCore

/// A decompression bomb: about 256 KiB of compressed data that inflates to 256 MiB of zeros.
/// Pieces let the caller stop or keep going without ever holding more than one piece. (What
/// that costs a gateway's memory is measured on the gateway process itself, in
/// `CompressionTests`: this process runs other suites at the same time.)
@Suite(.timeLimit(.minutes(10))) struct InflateBombTests {
    static let inflatedSize = 256 << 20

    /// 256 messages of 1 MiB of zeros through one deflater with context takeover, joined with
    /// the tails it removed: one DEFLATE stream, made without allocating it whole.
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

    @Test func everyPieceIsBoundedAndAllOfItComesOut() throws {
        #expect(Self.bomb.readableBytes < 512 << 10)
        let inflater = MessageInflater(windowBits: 15, noContextTakeover: true)
        inflater.feed(Self.bomb)
        inflater.finishMessage()
        var total = 0
        var largest = 0
        while let piece = try inflater.nextPiece(maxBytes: 64 * 1024) {
            #expect(piece[0] == 0 && piece[piece.readableBytes - 1] == 0)
            total += piece.readableBytes
            largest = max(largest, piece.readableBytes)
        }
        #expect(total == Self.inflatedSize)
        #expect(largest <= MessageInflater.largestPiece)
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
