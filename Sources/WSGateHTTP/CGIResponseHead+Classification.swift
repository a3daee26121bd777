// MARK: - From the script's fields to a response (RFC 3875 §6.2, §6.3)

extension CGIResponseHead {
    /// The CGI fields that instruct the server (RFC 3875 §6.3).
    static let statusName = "Status"
    static let locationName = "Location"
    static let contentTypeName = "Content-Type"

    /// Fields about the connection and the message framing, which the gateway writes itself:
    /// RFC 3875 §6.3.4 lets the server remove a script's fields that "relate to client-side
    /// communication issues", and these are the hop-by-hop fields of RFC 9110 §7.6.1 plus
    /// Transfer-Encoding and Trailer (the gateway frames the body; RFC 9112 §6.1).
    static let fieldsControlledByTheGateway = [
        "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
    ]

    /// Classifies the script's fields (syntax already checked, values trimmed, empty ones
    /// dropped: RFC 3875 §6.3, "A NULL field value is equivalent to a field not being sent").
    init(classifying fields: HTTPHeaders) throws(CGIResponseError) {
        let statusValues = fields.values(Self.statusName)
        let locationValues = fields.values(Self.locationName)
        guard statusValues.count <= 1 else { throw .repeatedField(name: Self.statusName) }
        guard locationValues.count <= 1 else { throw .repeatedField(name: Self.locationName) }
        let scriptStatus = try statusValues.first.map { (value) throws(CGIResponseError) in try Self.status(parsing: value) }
        let location = locationValues.first

        if scriptStatus == nil, let location, Self.isLocalPath(location) {
            // RFC 3875 §6.2.2: local-redir-response = local-Location NL; the server "MUST
            // generate the response that it would have produced in response to a request
            // containing the URL". The path is served as a request-target, so it must be one.
            guard let target = try? RequestTarget(parsing: location), target.form == .origin else {
                throw .invalidLocation(excerpt: CGIResponseError.excerpt(location.utf8))
            }
            self.init(kind: .localRedirect(target: location), status: .ok, headers: HTTPHeaders(), contentLength: nil)
            return
        }
        // RFC 3875 §6.3.1: "If an entity body is returned, the script MUST supply a
        // Content-Type field". As Go's net/http/cgi, it is required when nothing else says what
        // the response is: with a Status (a 204 or 304 has no body) or a client redirect, not.
        if scriptStatus == nil && location == nil && !fields.contains(Self.contentTypeName) {
            throw .missingContentType
        }
        let contentLength: Int?
        do throws(HTTPParseError) {
            contentLength = try fields.contentLength()
        } catch {
            throw error == .conflictingContentLength ? .conflictingContentLength : .invalidContentLength
        }
        var headers = HTTPHeaders()
        for (name, value) in fields where !Self.isDropped(name) {
            headers.add(name: name, value: value)
        }
        // RFC 3875 §6.2.3: a client redirect without Status becomes "302 Found"; §6.3.3: with
        // no Status at all, "200 OK" is assumed.
        let status = scriptStatus ?? (location == nil ? .ok : .found)
        self.init(kind: .document, status: status, headers: headers, contentLength: contentLength)
    }

    /// `Status: status-code [SP reason-phrase]` (RFC 3875 §6.3.3), with a final code: the
    /// gateway cannot send an interim 1xx (RFC 9110 §15.2) as the answer, and 600 and above are
    /// not status codes (RFC 9110 §15). Without a reason phrase, the registered one is used.
    static func status(parsing value: String) throws(CGIResponseError) -> HTTPStatus {
        let bytes = value.utf8
        let digits = bytes.prefix(3)
        let rest = bytes.dropFirst(3)
        guard digits.count == 3, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              rest.first.map(HTTPGrammar.isWhitespace) ?? true
        else { throw .invalidStatus(excerpt: CGIResponseError.excerpt(bytes)) }
        let code = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        guard (200...599).contains(code) else { throw .invalidStatus(excerpt: CGIResponseError.excerpt(bytes)) }
        let reason = HTTPGrammar.trimmingWhitespace(Substring(value).utf8.dropFirst(3))
        guard !reason.isEmpty else { return HTTPStatus(registeredCode: code) }
        return HTTPStatus(code: code, reasonPhrase: String(Substring(reason)))
    }

    /// Whether a `Location` is a path on this server (RFC 3875 §6.2.2, local-pathquery) rather
    /// than a URI for the client: it starts with "/", and not with "//", which is a
    /// network-path reference to another host (RFC 3986 §4.2).
    static func isLocalPath(_ location: String) -> Bool {
        location.utf8.first == HTTPGrammar.slash && !location.utf8.starts(with: "//".utf8)
    }

    /// Whether the script's field `name` stays out of the response.
    private static func isDropped(_ name: String) -> Bool {
        HTTPGrammar.equalsIgnoringASCIICase(name.utf8, statusName.utf8)
            || fieldsControlledByTheGateway.contains { HTTPGrammar.equalsIgnoringASCIICase(name.utf8, $0.utf8) }
    }
}
