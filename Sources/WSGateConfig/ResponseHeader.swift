/// One extra response header from `--header`, `--header-ws` or `--header-http`.
///
/// Why it exists: the header options are validated once at start (name is a token, value has no
/// CR/LF) so the HTTP layer can write them verbatim. It must not be built from peer input.
public struct ResponseHeader: Sendable, Equatable {
    /// The field name, canonicalised like websocketd's (Go's) `X-Custom-Name`.
    public var name: String
    /// The field value, without leading or trailing spaces and tabs.
    public var value: String

    /// A header written as `name: value`.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
