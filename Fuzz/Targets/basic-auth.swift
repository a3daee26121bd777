import WSGateCore
import WSGatePasswords

/// The `Authorization: Basic` parser: accepted credentials have a non-empty user without `:`
/// and no control character, the scheme's case changes nothing, the cap holds, and any user
/// and password encoded back parse to themselves exactly when they are acceptable.
///
/// Input: a flag byte (bit 0: upper-case the scheme), then the field value; the value's bytes
/// are also read as `user:password` and encoded.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBasicAuth(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzCheck.input(data, size)
    guard let flags = input.first else { return 0 }
    let value = String(decoding: input.dropFirst(), as: UTF8.self)
    let outcome = parse(value, maxLength: 512)
    if case .success(let credentials) = outcome {
        FuzzCheck.require(!credentials.user.isEmpty && !credentials.user.contains(":"), "user \(credentials.user)")
        let all = credentials.user.unicodeScalars + credentials.password.unicodeScalars
        FuzzCheck.require(!all.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "a control character passed")
        FuzzCheck.require(value.utf8.count <= 512, "over the cap: \(value.utf8.count)")
    }
    if value.utf8.count > 512 { FuzzCheck.require(outcome == .failure(.tooLong), "over the cap: \(outcome)") }

    // The scheme in other cases.
    if value.utf8.count >= 5, value.utf8.prefix(5).map({ $0 | 0x20 }) == Array("basic".utf8) {
        let scheme = flags & 1 == 1 ? "BASIC" : "bAsIc"
        let recased = scheme + String(decoding: value.utf8.dropFirst(5), as: UTF8.self)
        FuzzCheck.require(parse(recased, maxLength: 512) == outcome, "\(value) and \(recased) differ")
    }

    // The input's bytes as user:password, encoded: they come back exactly when acceptable.
    let encoded = "Basic " + Base64.encode(input.dropFirst())
    let decoded = parse(encoded, maxLength: .max)
    if let text = String(validating: input.dropFirst(), as: UTF8.self), let colon = text.firstIndex(of: ":"),
       colon != text.startIndex, !text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
        let expected = BasicCredentials(user: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
        FuzzCheck.require(decoded == .success(expected), "\(text) came back as \(decoded)")
    } else {
        FuzzCheck.require((try? decoded.get()) == nil, "unacceptable bytes accepted: \(decoded)")
    }
    return 0
}

private func parse(_ value: String, maxLength: Int) -> Result<BasicCredentials, BasicCredentialsError> {
    Result { () throws(BasicCredentialsError) in try BasicCredentials(authorization: value, maxLength: maxLength) }
}
