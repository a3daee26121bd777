/// The checked-in TLS test certificates (`Tests/Fixtures/TLS`, made by its
/// `make-fixtures.sh`; for tests only).
public enum TLSFixtures {
    /// The folder holding the fixtures.
    public static var directory: String { Executables.packageRoot + "/Tests/Fixtures/TLS" }
    /// The test CA that signed `serverCertificate`, `renewedCertificate` and `clientCertificate`.
    public static var caCertificate: String { directory + "/ca.pem" }
    /// A certificate for `localhost` and `127.0.0.1`.
    public static var serverCertificate: String { directory + "/server.pem" }
    /// The key of `serverCertificate`.
    public static var serverKey: String { directory + "/server.key" }
    /// Another certificate for the same names (`CN=localhost renewed`), as a renewal brings.
    public static var renewedCertificate: String { directory + "/renewed.pem" }
    /// The key of `renewedCertificate`.
    public static var renewedKey: String { directory + "/renewed.key" }
    /// A client certificate signed by the test CA.
    public static var clientCertificate: String { directory + "/client.pem" }
    /// The key of `clientCertificate`.
    public static var clientKey: String { directory + "/client.key" }
    /// `clientCertificate`'s subject in RFC 2253 form.
    public static let clientSubject = "CN=test client,O=wsgate tests"
    /// A client certificate signed by `otherCA`, which the test CA did not sign.
    public static var strangerCertificate: String { directory + "/stranger.pem" }
    /// The key of `strangerCertificate`.
    public static var strangerKey: String { directory + "/stranger.key" }
    /// A CA that signed only `strangerCertificate`.
    public static var otherCA: String { directory + "/other-ca.pem" }
    /// A key that matches no certificate here.
    public static var otherKey: String { directory + "/other.key" }
}
