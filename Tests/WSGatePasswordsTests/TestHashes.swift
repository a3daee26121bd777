/// Hashes made at development time with libxcrypt through Python 3.11's (deprecated) crypt
/// module, e.g. `/usr/bin/python3 -c 'import crypt; print(crypt.crypt("hunter2 is fine", "$6$wsgatebob$"))'`.
enum TestHashes {
    /// "correct horse battery staple", `crypt.crypt(…, "$2y$05$wsgatetestsaltalice0123")`.
    static let alice = "$2y$05$wsgatetestsaltalice01ud/OmoelI0jO3WGjsWjEYIPQYz4kv7VW"
    /// "hunter2 is fine", salt `$6$wsgatebob$`.
    static let bob = "$6$wsgatebob$lpSVn13cY55vh0fx48deq/yjecWYUg2OlUnr7zeAf0ad/rlChPwdYEBN8E9vF22c56u7aBbekesia4v4VW5hK/"
    /// "sha256 pass", salt `$5$rounds=2000$wsgatecarol$`.
    static let carol = "$5$rounds=2000$wsgatecarol$NpUGYf0aLntiLgCThwBINT0kPf04wQEB9jattJxqqSD"
    /// 72 × "a", salt `$2b$05$wsgatetestsaltlongpass01`.
    static let long = "$2b$05$wsgatetestsaltlongpase8XwZJX7QquKEbBOJcjyQb3q6kVxCBm2"
    /// "pässwörd" (UTF-8), salt `$6$rounds=1000$wsgateumlaut$`.
    static let umlaut = "$6$rounds=1000$wsgateumlaut$znYcmfJDl5XhwAu47w9oFPV3mPZronxSbHGNyiB2/es61IvU6BoqiJ5Ygdjjc0hcW/OZtYAaZnuH1cSmTZPFb0"
}
