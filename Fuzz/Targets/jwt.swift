import COpenSSL
import WSGateAuth

/// JWT verification: no crash on any bytes; base64url decodes only canonical text (encoding
/// the result gives the input back) into at most 3/4 of its length; the verifier refuses
/// exactly what the parser refuses, and no input verifies with a key whose private half
/// nobody has (the RFC 7515 A.3 key) or an HMAC secret the input cannot know. Then the input
/// as a header and claims signed with the secret: never refused for its signature, valid
/// only with the claims' `sub` and an `exp` not yet past, and refused once a signature bit flips.
///
/// Input: a flag byte (bit 0: use the HS256 header the target writes instead of the first
/// field), then NUL-separated the header and the claims, both JSON.
private let secret = Array("a fuzzing secret, 32 bytes long.".utf8)
private let now: Int64 = 1_800_000_000
private let hmacVerifier = JWTVerifier(key: try! JWTKey(hmacSecret: secret), audience: "wsgate")
private let ecVerifier = JWTVerifier(key: try! JWTKey(publicKeyPEM: Array("""
    -----BEGIN PUBLIC KEY-----
    MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEf83OJ3D2xF1Bg8vub9tLe1gHMzV7
    6e8Tus9uPHvRVEXH8UTNG72bfocs3+257rn0s2ldbqkLJK2KRiMohYjlrQ==
    -----END PUBLIC KEY-----

    """.utf8)))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJWT(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzCheck.input(data, size)
    checkBase64URL(input)
    checkRawToken(input)
    if let (flags, fields) = FuzzCheck.flagsAndFields(input, count: 2), fields.count == 2 {
        checkSignedToken(header: flags & 1 == 1 ? #"{"alg":"HS256","typ":"JWT"}"# : fields[0], claims: fields[1])
    }
    return 0
}

private func checkBase64URL(_ input: [UInt8]) {
    guard let decoded = Base64URL.decode(input) else { return }
    FuzzCheck.require(decoded.count <= input.count * 3 / 4, "\(input.count) characters gave \(decoded.count) bytes")
    FuzzCheck.require(Array(Base64URL.encode(decoded).utf8) == input, "not canonical, yet decoded: \(input)")
}

private func checkRawToken(_ input: [UInt8]) {
    let verdict = hmacVerifier.verify(input, now: now)
    do {
        _ = try JSONWebToken(parsing: input)
        if case .refused(.malformed(let malformation)) = verdict {
            FuzzCheck.require(!isShapeError(malformation), "parsed, yet refused as \(malformation)")
        }
    } catch {
        FuzzCheck.require(verdict == .refused(.malformed(error)), "parser: \(error), verifier: \(verdict)")
        if input.count > JSONWebToken.maxBytes { FuzzCheck.require(error == .tooLong(bytes: input.count), "\(error)") }
    }
    if case .valid = verdict { FuzzCheck.require(false, "an unsigned input verified: \(input)") }
    if case .valid = ecVerifier.verify(input, now: now) { FuzzCheck.require(false, "verified with the RFC key: \(input)") }
}

/// What the parser refuses (the rest is refused after the signature, from the claims).
private func isShapeError(_ malformation: JWTMalformation) -> Bool {
    switch malformation {
    case .missingClaim, .dateNotNumber, .badSubject, .badAudience: false
    default: true
    }
}

private func checkSignedToken(header: String, claims: String) {
    let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(claims.utf8))
    var mac = [UInt8](repeating: 0, count: 32)
    var length: UInt32 = 0
    let bytes = Array(input.utf8)
    FuzzCheck.require(HMAC(EVP_sha256(), secret, Int32(secret.count), bytes, bytes.count, &mac, &length) != nil, "HMAC failed")
    let verdict = hmacVerifier.verify(input + "." + Base64URL.encode(mac), now: now)
    switch verdict {
    case .refused(.badSignature), .refused(.signatureLength):
        FuzzCheck.require(false, "our own signature refused: \(header) \(claims)")
    case .valid(let subject, let expires):
        guard let token = try? JSONWebToken(parsing: (input + "." + Base64URL.encode(mac)).utf8) else {
            FuzzCheck.require(false, "valid, yet does not parse")
            return
        }
        FuzzCheck.require(token.algorithm == "HS256", "valid with alg \(token.algorithm)")
        FuzzCheck.require(token.claims["sub"]?.stringValue == subject, "subject \(subject) is not the sub claim")
        FuzzCheck.require(expires >= now - JWTVerifier.defaultLeewaySeconds - 1, "valid, yet expired at \(expires)")
        FuzzCheck.require(!subject.isEmpty && !subject.unicodeScalars.contains { $0.value < 0x20 }, "subject \(subject)")
        let flipped = mac.enumerated().map { $0.offset == Int(mac[0] & 31) ? $0.element ^ 1 : $0.element }
        let forged = hmacVerifier.verify(input + "." + Base64URL.encode(flipped), now: now)
        FuzzCheck.require(forged == .refused(.badSignature), "a flipped signature bit gave \(forged)")
    case .refused:
        break
    }
}
