/// What a CGI script's header section asks the gateway to do (RFC 3875 §6.2).
///
/// Why it exists: a script does not write an HTTP response; it writes CGI header fields, some
/// of which are instructions to the server (`Status`, a local `Location`) and some of which
/// the server alone must control (the hop-by-hop fields, since the gateway frames the body
/// itself). This is the verdict, with the instructions taken out, that the CGI handler turns
/// into a response without looking at the script's fields again.
public struct CGIResponseHead: Sendable, Equatable {
    /// The response kinds of RFC 3875 §6.2 that need different handling.
    public enum Kind: Sendable, Equatable {
        /// A document (§6.2.1), a client redirect (§6.2.3, 302 Found with the `Location`
        /// kept) or a client redirect with document (§6.2.4): send `status` and `headers`, then
        /// the script's body.
        case document
        /// A local redirect (§6.2.2): `Location` with a path (starting with "/" but not "//")
        /// and no `Status`. The server serves `target`, a valid origin-form request-target,
        /// as if the client had asked for it; the script's other fields and its body are ignored.
        case localRedirect(target: String)
    }

    /// What to do with the response.
    public var kind: Kind
    /// The status to send: the script's `Status`, else 302 Found for a client redirect, else
    /// 200 OK (RFC 3875 §6.3.3). 200 OK, unused, for a local redirect.
    public var status: HTTPStatus
    /// The fields to send, in the script's order (repeats such as Set-Cookie kept): every
    /// field but `Status`, the hop-by-hop ones and those with an empty value. Empty for a
    /// local redirect.
    public var headers: HTTPHeaders
    /// The script's `Content-Length`, also kept in `headers`; nil when it gave none.
    public var contentLength: Int?

    public init(kind: Kind, status: HTTPStatus, headers: HTTPHeaders, contentLength: Int?) {
        self.kind = kind
        self.status = status
        self.headers = headers
        self.contentLength = contentLength
    }
}
