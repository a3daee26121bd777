/// The checked-in TLS test certificates (`Tests/Fixtures/TLS`, made by its
/// `make-fixtures.sh`; for tests only).
public enum TLSFixtures {
    /// The folder holding the fixtures.
    public static var directory: String { Executables.packageRoot + "/Tests/Fixtures/TLS" }
    /// The test CA that signed `serverCertificate`.
    public static var caCertificate: String { directory + "/ca.pem" }
    /// A certificate for `localhost` and `127.0.0.1`.
    public static var serverCertificate: String { directory + "/server.pem" }
    /// The key of `serverCertificate`.
    public static var serverKey: String { directory + "/server.key" }
    /// A key that matches no certificate here.
    public static var otherKey: String { directory + "/other.key" }
}
