import Glibc

/// Reads stdin in read(2) chunks, without buffering beyond one chunk.
///
/// It exists so the stream modes pass data through as it arrives, whatever its length or bytes:
/// a line longer than the chunk simply spans several chunks.
enum StandardInput {
    /// The largest read(2), and so the most memory a stream mode holds.
    static let chunkSize = 65536

    /// Calls `body` with each chunk read until EOF; exits with status 1 on a read error.
    static func forEachChunk(_ body: (UnsafeRawBufferPointer) -> Void) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 1)
        defer { buffer.deallocate() }
        while true {
            let count = read(STDIN_FILENO, buffer.baseAddress, chunkSize)
            if count < 0 {
                if errno == EINTR { continue }
                Glibc.exit(1)
            }
            if count == 0 { return }
            body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }
}
