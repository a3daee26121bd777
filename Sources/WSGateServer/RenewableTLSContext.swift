import WSGatePosix
import WSGateTLS

/// The gateway's current `TLSServerContext`, replaced when the certificate is renewed.
///
/// Why it exists: certificates are renewed in place (certbot, ACME): on SIGHUP, or when the
/// files change, a new context is loaded from the same paths and every handshake from then on
/// uses it, while connections already open keep the engine (and the `SSL_CTX` reference) they
/// were made with. A pair that does not load leaves the current context in place.
///
/// Sendable: every loop makes engines from it. The context is swapped under a lock (a pointer
/// copy and a reference count); `SSL_new` on a shared `SSL_CTX` is thread-safe.
final class RenewableTLSContext: Sendable {
    let certificatePath: String
    let keyPath: String
    let clientCAPath: String?
    private let current: LockedValue<TLSServerContext>
    /// The files' stamps when `current` was loaded, and at the last poll.
    private let stamps: LockedValue<(loaded: [FileStamp?], polled: [FileStamp?])>

    /// Loads the first context; throws (naming the file) if it cannot.
    init(certificatePath: String, keyPath: String, clientCAPath: String?) throws(TLSError) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.clientCAPath = clientCAPath
        let files = [certificatePath, keyPath] + (clientCAPath.map { [$0] } ?? [])
        let before = files.map { FileStamp(path: $0) }
        current = LockedValue(try Self.load(certificatePath, keyPath, clientCAPath))
        stamps = LockedValue((before, before))
    }

    private static func load(_ certificate: String, _ key: String, _ clientCA: String?) throws(TLSError)
        -> TLSServerContext
    {
        try TLSServerContext(certificateChainPath: certificate, privateKeyPath: key, clientCAPath: clientCA)
    }

    private var files: [String] { [certificatePath, keyPath] + (clientCAPath.map { [$0] } ?? []) }

    /// A new server-side engine from the current context.
    func makeEngine() throws(TLSError) -> TLSEngine {
        try current.withLock { $0 }.makeEngine()
    }

    /// Loads the files again and, if they load, makes them the current context. On a failure
    /// the current context stays and the error (naming the file) is thrown.
    func reload() throws(TLSError) {
        let before = files.map { FileStamp(path: $0) }
        let fresh = try Self.load(certificatePath, keyPath, clientCAPath)
        current.withLock { $0 = fresh }
        stamps.withLock { $0 = (before, before) }
    }

    /// Polled every few seconds: true when the files differ from the loaded ones and have not
    /// changed since the last poll. Waiting for one quiet poll lets a renewal that writes the
    /// certificate and then the key finish before they are loaded together.
    func filesChangedAndSettled() -> Bool {
        let now = files.map { FileStamp(path: $0) }
        return stamps.withLock { stamps in
            defer { stamps.polled = now }
            return now != stamps.loaded && now == stamps.polled
        }
    }

    /// A failed load counts as loaded for polling: the same broken files are not tried again
    /// until they change.
    func markCurrentFilesSeen() {
        let now = files.map { FileStamp(path: $0) }
        stamps.withLock { $0 = (now, now) }
    }
}
