/// Why an `Authorization` value is not usable Basic credentials.
///
/// Why it exists: the browser only sees a 401, so the gateway logs why (RFC 7617 §2 grammar).
public enum BasicCredentialsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Longer than the cap.
    case tooLong
    /// Another scheme (`Bearer …`): not an error for a gateway that also takes tokens.
    case notBasic
    /// `Basic` without credentials, or without a space after it.
    case missingCredentials
    /// Not canonical padded base64 (standard alphabet).
    case badBase64
    /// The decoded text is not UTF-8.
    case notUTF8
    /// A control character in the user or the password.
    case controlCharacter
    /// No `:` between user and password.
    case noColon
    /// Nothing before the `:`.
    case emptyUser

    public var description: String {
        switch self {
        case .tooLong: "Basic credentials too long"
        case .notBasic: "not the Basic scheme"
        case .missingCredentials: "Basic without credentials"
        case .badBase64: "Basic credentials are not base64"
        case .notUTF8: "Basic credentials are not UTF-8"
        case .controlCharacter: "a control character in Basic credentials"
        case .noColon: "no ':' between user and password in Basic credentials"
        case .emptyUser: "empty user in Basic credentials"
        }
    }
}
