import WSGateBackends

/// Where a URL path points inside `--staticdir`, decided on the text alone.
///
/// Why it exists: the URL is percent-decoded once, here, and turned into a clean relative path
/// (no empty, "." or ".." segments), so nothing later sees an encoded dot or slash. The kernel
/// still has the last word on symbolic links (`ServedDirectory`); this only refuses what the
/// text already shows: a ".." above the root, a NUL, a malformed escape, and hidden names.
enum StaticPath: Equatable {
    /// A path relative to the served directory ("" for the directory itself); `endsWithSlash`
    /// when the URL asked for a directory ("/docs/").
    case inside([UInt8], endsWithSlash: Bool)
    /// A segment starts with "." (`.git`, `.env`): answered as not found. `.well-known`
    /// (RFC 8615) is the exception.
    case hidden
    /// More ".." than segments.
    case aboveRoot
    /// A "%" without two hex digits after it, or an encoded NUL.
    case malformed

    static let wellKnown: [UInt8] = Array(".well-known".utf8)

    /// The common case without the segment walk: an absolute path with no empty segment and no
    /// segment starting with "." (so nothing to drop, climb or refuse); nil for anything else.
    private static func alreadyClean(_ decoded: [UInt8]) -> StaticPath? {
        let slash = UInt8(ascii: "/")
        guard decoded.first == slash else { return nil }
        for index in decoded.indices.dropLast() where decoded[index] == slash {
            let next = decoded[index + 1]
            if next == slash || next == UInt8(ascii: ".") { return nil }
        }
        let endsWithSlash = decoded.last == slash
        let end = endsWithSlash && decoded.count > 1 ? decoded.count - 1 : decoded.count
        return .inside(Array(decoded[1..<end]), endsWithSlash: endsWithSlash)
    }

    init(urlPath: String) {
        guard let decoded = PercentDecoding.decode(urlPath.utf8), !decoded.contains(0) else {
            self = .malformed
            return
        }
        if let clean = Self.alreadyClean(decoded) {
            self = clean
            return
        }
        var segments: [ArraySlice<UInt8>] = []
        for segment in decoded.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            let dots = segment.allSatisfy { $0 == UInt8(ascii: ".") } ? segment.count : 0
            switch dots {
            case 1:
                continue
            case 2:
                guard !segments.isEmpty else {
                    self = .aboveRoot
                    return
                }
                segments.removeLast()
            default:
                segments.append(segment)
            }
        }
        if segments.contains(where: { $0.first == UInt8(ascii: ".") && !$0.elementsEqual(Self.wellKnown) }) {
            self = .hidden
            return
        }
        self = .inside(Array(segments.joined(separator: [UInt8(ascii: "/")])),
                       endsWithSlash: decoded.isEmpty || decoded.last == UInt8(ascii: "/"))
    }
}
