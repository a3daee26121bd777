import WSGateCore

/// A user and password from an `Authorization: Basic …` field value (RFC 7617).
///
/// Why it exists: `--auth-basic` reads them from every request, so the parser is strict and
/// bounded: the scheme in any case, one or more spaces (RFC 9110 §11.4: `1*SP`), canonical
/// padded base64, UTF-8 (RFC 7617 §2.1's charset), no control characters (C0, DEL, C1), split
/// at the first `:` (a password may hold `:`, a user may not), the user not empty.
public struct BasicCredentials: Sendable, Equatable {
    public let user: String
    public let password: String

    /// The longest field value read (what browsers send is far shorter).
    public static let defaultMaxLength = 4096

    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }

    /// Parses `value`, an `Authorization` field value (already trimmed by the request parser).
    public init(authorization value: some StringProtocol, maxLength: Int = defaultMaxLength) throws(BasicCredentialsError) {
        let bytes = Array(value.utf8)
        guard bytes.count <= maxLength else { throw .tooLong }
        let scheme = bytes.prefix { $0 != UInt8(ascii: " ") }
        guard scheme.count == 5, scheme.map({ $0 | 0x20 }) == Array("basic".utf8) else { throw .notBasic }
        let encoded = bytes[5...].drop { $0 == UInt8(ascii: " ") }
        guard encoded.startIndex > 5, !encoded.isEmpty else { throw .missingCredentials }
        guard let decoded = Base64.decode(String(decoding: encoded, as: UTF8.self)) else { throw .badBase64 }
        guard let text = String(validating: decoded, as: UTF8.self) else { throw .notUTF8 }
        guard !text.unicodeScalars.contains(where: Self.isControl) else { throw .controlCharacter }
        guard let colon = text.firstIndex(of: ":") else { throw .noColon }
        guard colon != text.startIndex else { throw .emptyUser }
        user = String(text[..<colon])
        password = String(text[text.index(after: colon)...])
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
