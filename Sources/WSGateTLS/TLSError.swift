/// Why TLS failed: a certificate or key that cannot be used, or a peer that broke the protocol.
///
/// Why it exists: the one error type of the TLS layer. Start-up errors name the file so the
/// gateway can exit with one clear line; connection errors carry OpenSSL's reason text
/// ("wrong version number", "unsupported protocol") for the log line that drops the client.
public enum TLSError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The certificate chain file is missing, unreadable or not PEM.
    case certificateFile(path: String, reason: String)
    /// The private key file is missing, unreadable, encrypted or not PEM.
    case privateKeyFile(path: String, reason: String)
    /// The private key is not the key of the certificate.
    case keyMismatch(certificatePath: String, keyPath: String)
    /// The client CA file (`--sslca`) is missing, unreadable or holds no PEM certificate.
    case clientCAFile(path: String, reason: String)
    /// OpenSSL refused a setting (an out-of-memory or a library built without it).
    case setup(reason: String)
    /// The peer sent something that is not TLS, or TLS we do not accept.
    case connection(reason: String)

    public var description: String {
        switch self {
        case .certificateFile(let path, let reason):
            "cannot load the certificate chain from \(path): \(reason)"
        case .privateKeyFile(let path, let reason):
            "cannot load the private key from \(path): \(reason)"
        case .keyMismatch(let certificatePath, let keyPath):
            "the private key in \(keyPath) does not match the certificate in \(certificatePath)"
        case .clientCAFile(let path, let reason):
            "cannot load the client CA certificates from \(path): \(reason)"
        case .setup(let reason):
            "TLS setup failed: \(reason)"
        case .connection(let reason):
            "TLS: \(reason)"
        }
    }
}
