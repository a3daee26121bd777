import COpenSSL

/// Reads OpenSSL's per-thread error queue.
///
/// Why it exists: OpenSSL reports why a call failed by pushing codes on a queue owned by the
/// calling thread. A call's result means nothing if an older failure is still queued, so every
/// call that may fail starts with `clear()`, and a failure is read (and emptied) with `take`.
enum OpenSSLErrors {
    /// Empties the queue before a call whose failure will be read.
    static func clear() {
        ERR_clear_error()
    }

    /// The reasons on the queue, oldest first, joined with "; ", and empties it.
    /// `fallback` when the queue is empty.
    static func take(fallback: String) -> String {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            let reason = self.reason(code)
            // "system lib", "PEM lib": a library saying that the one before it failed.
            if !reasons.contains(reason) && !reason.hasSuffix(" lib") { reasons.append(reason) }
        }
        return reasons.isEmpty ? fallback : reasons.joined(separator: "; ")
    }

    /// The reason part of OpenSSL's "error:CODE:LIBRARY:FUNCTION:REASON" text. Taken from that
    /// text rather than `ERR_reason_error_string`, which has no text for a system error
    /// (a missing file) while this one carries the C library's ("No such file or directory").
    private static func reason(_ code: UInt) -> String {
        var text = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &text, text.count)
        let full = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let parts = full.split(separator: ":", maxSplits: 4, omittingEmptySubsequences: false)
        return parts.count == 5 && !parts[4].isEmpty ? String(parts[4]) : full
    }
}
