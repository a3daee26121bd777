public import WSGatePosix

/// Builds the environment of a program started for one WebSocket connection: exactly
/// websocketd's variable set, order and values (docs/behaviour.md, 'CGI environment'), plus
/// HTTP_HOST.
///
/// Why it exists: programs written for websocketd read these variables (REMOTE_ADDR,
/// QUERY_STRING, HTTP_COOKIE …), so a drop-in replacement must produce the same names and
/// values; and the program must see nothing else of wsgate's own environment (only the
/// `--passenv` variables), so secrets in the gateway's environment do not leak to scripts.
///
/// It is pure: it takes the request facts and the already-read `--passenv` values, and returns
/// the "NAME=value" entries ready for `execve` (an `EnvironmentBlock`). It must not read the
/// process environment itself (that happens once at startup, through
/// `passedEnvironment(names:from:)`).
///
/// Rules, all websocketd's unless marked:
/// - Order: SERVER_SOFTWARE, the passed variables, REMOTE_ADDR, REMOTE_HOST, SERVER_NAME,
///   SERVER_PORT, SERVER_PROTOCOL, GATEWAY_INTERFACE, REQUEST_METHOD, SCRIPT_NAME, PATH_INFO,
///   PATH_TRANSLATED, QUERY_STRING, AUTH_TYPE, CONTENT_LENGTH, CONTENT_TYPE, REMOTE_IDENT,
///   REMOTE_USER, UNIQUE_ID, REMOTE_PORT, REQUEST_URI, SCRIPT_FILENAME (`--cgidir` only), HTTPS
///   (TLS only), SSL_CLIENT_S_DN and SSL_CLIENT_VERIFY (wsgate's, Apache mod_ssl's names: TLS
///   with a verified client certificate only), then one HTTP_<NAME> per header name in
///   request order (websocketd: Go map order, i.e. random).
/// - Every value: CR and LF become a space, then surrounding whitespace is trimmed (Go's
///   `strings.TrimSpace`: Unicode White_Space). NUL also becomes a space (cannot come from a
///   valid request; a C environment string could not carry it).
/// - HTTP_<NAME>: the header name upper-cased with "-" turned into "_". Repeated headers, and
///   names that only differ in case, give one variable at the first spelling's position, each
///   value cleaned and then joined with ", " in request order. HTTP_HOST is included
///   (websocketd drops it because Go removes Host from the header map).
/// - wsgate's, against spoofing: a header whose name contains "_" is dropped (as Apache and
///   nginx do), so `X_Forwarded_For` cannot pass for `X-Forwarded-For`; so is `Proxy`
///   (httpoxy: HTTP_PROXY is a proxy setting to HTTP libraries); and a header never replaces
///   a variable set by the gateway or `--passenv` (websocketd lets the header win).
/// - Duplicate names among the others resolve like Go's `exec.Cmd` on Linux: the last
///   occurrence wins, and the variable appears once, at the position of that last occurrence.
///   So a passed variable can override SERVER_SOFTWARE, but every later CGI variable
///   overrides a passed one.
public enum CGIEnvironment {
    /// SERVER_PROTOCOL: WebSocket upgrades are HTTP/1.1 requests (RFC 6455 §4.1).
    public static let serverProtocol = "HTTP/1.1"
    /// GATEWAY_INTERFACE as websocketd 0.4.1 and its wiki give it (main switched to CGI/1.1).
    public static let gatewayInterface = "websocketd-CGI/0.1"
    /// SERVER_PORT when the Host header has no port: the scheme's default (RFC 9110 §4.2.1).
    public static let defaultHTTPPort = "80"
    /// SERVER_PORT when the Host header has no port, under TLS (RFC 9110 §4.2.2).
    public static let defaultHTTPSPort = "443"
    /// Never copied from wsgate's environment: they would claim TLS, or a client certificate,
    /// the connection does not have.
    public static let neverPassed: Set<String> = ["HTTPS", "SSL_CLIENT_S_DN", "SSL_CLIENT_VERIFY"]
    /// SSL_CLIENT_VERIFY's value when the handshake verified the client's certificate (the
    /// only case where a program runs under `--sslca`).
    public static let clientVerified = "SUCCESS"
    /// What every header variable's name starts with.
    static let headerPrefix = "HTTP_"

    /// The environment for one program, as "NAME=value" entries in websocketd's order.
    public static func build(_ request: CGIRequest, passedEnvironment: [(name: String, value: String)]) -> EnvironmentBlock {
        var block = EnvironmentBlock(capacity: estimatedSize(request, passedEnvironment))
        func add(_ name: StaticString, _ value: String) {
            block.beginEntry(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            appendSanitized(value, to: &block)
            block.endEntry()
        }
        // HTTPS and the client certificate's variables are filtered here too: only the
        // connection may claim them.
        let passed = passedEnvironment.indices.filter {
            !neverPassed.contains(passedEnvironment[$0].name) && isUsableName(passedEnvironment[$0].name)
        }
        // Duplicates resolve as Go's exec does: an entry is left out when a later one has its name.
        if !passed.contains(where: { passedEnvironment[$0].name == "SERVER_SOFTWARE" }) {
            add("SERVER_SOFTWARE", request.serverSoftware)
        }
        for (position, index) in passed.enumerated() {
            let name = passedEnvironment[index].name
            let setLater = passed[(position + 1)...].contains { passedEnvironment[$0].name == name }
                || gatewayNames.contains(name) || (name == "SCRIPT_FILENAME" && request.scriptFilename != nil)
            if setLater { continue }
            block.beginEntry(name.utf8)
            appendSanitized(passedEnvironment[index].value, to: &block)
            block.endEntry()
        }
        let server = serverNameAndPort(host: request.host, isHTTPS: request.isHTTPS)
        add("REMOTE_ADDR", request.remoteAddress)
        add("REMOTE_HOST", request.remoteHost)
        add("SERVER_NAME", server.name)
        add("SERVER_PORT", server.port)
        add("SERVER_PROTOCOL", serverProtocol)
        add("GATEWAY_INTERFACE", request.gatewayInterface)
        add("REQUEST_METHOD", request.method)
        add("SCRIPT_NAME", request.scriptName)
        add("PATH_INFO", request.pathInfo)
        // websocketd puts Go's decoded URL.Path here, not a filesystem path (unlike RFC 3875).
        add("PATH_TRANSLATED", CGIRequest.decodedPath(request.path))
        add("QUERY_STRING", request.query)
        // Present (empty unless the gateway authenticated the request, or a script's request
        // has a body) on purpose, so nothing from elsewhere can fill them.
        add("AUTH_TYPE", request.authType)
        add("CONTENT_LENGTH", request.contentLength)
        add("CONTENT_TYPE", request.contentType)
        add("REMOTE_IDENT", "")
        add("REMOTE_USER", request.remoteUser)
        add("UNIQUE_ID", request.uniqueID)
        add("REMOTE_PORT", request.remotePort)
        add("REQUEST_URI", request.requestURI)
        if let scriptFilename = request.scriptFilename { add("SCRIPT_FILENAME", scriptFilename) }
        if request.isHTTPS { add("HTTPS", "on") }
        if request.isHTTPS, let subject = request.clientCertificateSubject {
            add("SSL_CLIENT_S_DN", subject)
            add("SSL_CLIENT_VERIFY", clientVerified)
        }
        // Header variables are all named HTTP_…, which among the gateway's only a passed
        // variable can be; such a variable wins over the header.
        let taken = passed.map { passedEnvironment[$0].name }.filter { $0.utf8.starts(with: headerPrefix.utf8) }
        appendHeaderVariables(request.headers, skipping: taken, to: &block)
        return block
    }

    /// The variables set after the passed ones on every request; a passed variable of the same
    /// name is overridden by them. (SCRIPT_FILENAME and HTTPS are set only sometimes; HTTPS is
    /// never passed.)
    static let gatewayNames: Set<String> = [
        "REMOTE_ADDR", "REMOTE_HOST", "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "GATEWAY_INTERFACE",
        "REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "PATH_TRANSLATED", "QUERY_STRING", "AUTH_TYPE",
        "CONTENT_LENGTH", "CONTENT_TYPE", "REMOTE_IDENT", "REMOTE_USER", "UNIQUE_ID", "REMOTE_PORT", "REQUEST_URI",
    ]

    /// Room for the whole block, so it is allocated once: the names and "=\0" of the
    /// gateway's variables, the values, the passed variables and the headers.
    private static func estimatedSize(_ request: CGIRequest, _ passed: [(name: String, value: String)]) -> Int {
        var size = 400 + 2 * request.path.utf8.count + request.requestURI.utf8.count + request.query.utf8.count
            + 2 * request.remoteAddress.utf8.count + request.remoteHost.utf8.count + request.host.utf8.count
            + request.serverSoftware.utf8.count + request.scriptName.utf8.count + request.pathInfo.utf8.count
            + (request.scriptFilename?.utf8.count ?? 0) + (request.clientCertificateSubject?.utf8.count ?? 0)
            + request.authType.utf8.count + request.remoteUser.utf8.count
        for variable in passed { size += variable.name.utf8.count + variable.value.utf8.count + 2 }
        for header in request.headers { size += header.name.utf8.count + header.value.utf8.count + 9 }
        return size
    }

    /// The `--passenv` variables read from wsgate's environment at startup, as websocketd
    /// does: in the order named; unset or empty ones skipped; `neverPassed` never passed;
    /// CR/LF turned into spaces and the value trimmed, skipped if that leaves it empty. Names
    /// are used as given (not trimmed); a name that cannot be a variable name ("" or
    /// containing "=") is skipped.
    public static func passedEnvironment(names: [String], from environment: [String: String]) -> [(name: String, value: String)] {
        var passed: [(name: String, value: String)] = []
        for name in names where !neverPassed.contains(name) && isUsableName(name) {
            guard let raw = environment[name], !raw.isEmpty else { continue }
            let value = sanitized(raw)
            if !value.isEmpty { passed.append((name, value)) }
        }
        return passed
    }

    // MARK: - Pieces

    /// SERVER_NAME and SERVER_PORT from the Host header, as websocketd's `tellHostPort`:
    /// Go's `net.SplitHostPort`; on its "missing port" error the whole header is the name and
    /// the port is 80 (443 under TLS); on any other error both are "".
    static func serverNameAndPort(host: String, isHTTPS: Bool) -> (name: String, port: String) {
        switch HostPortSplitter.split(host) {
        case .split(let name, let port): return (name, port)
        case .missingPort: return (host, isHTTPS ? defaultHTTPSPort : defaultHTTPPort)
        case .invalid: return ("", "")
        }
    }

    /// One HTTP_<NAME> entry per distinct variable name, at its first spelling's position,
    /// values cleaned one by one and joined with ", "; spoofing headers and the names in
    /// `taken` left out.
    static func appendHeaderVariables(_ headers: [(name: String, value: String)], skipping taken: [String],
                                      to block: inout EnvironmentBlock) {
        // Pairwise name comparisons rather than a dictionary: a request has a few dozen
        // headers at most (the parser allows 100 lines), and hashing cost more than this.
        for (index, header) in headers.enumerated() where becomesVariable(header.name) {
            let seenBefore = headers[..<index].contains { becomesVariable($0.name) && sameVariable($0.name, header.name) }
            if seenBefore { continue }
            let name = variableName(forHeader: header.name)
            if taken.contains(name) { continue }
            block.beginEntry(name.utf8)
            appendSanitized(header.value, to: &block)
            for later in headers[(index + 1)...] where sameVariable(later.name, header.name) {
                block.appendValue(", ".utf8)
                appendSanitized(later.value, to: &block)
            }
            block.endEntry()
        }
    }

    /// Whether two header names give the same variable: equal but for ASCII case. (Names
    /// with "_" never become variables, so "-" needs no mapping here.)
    static func sameVariable(_ a: String, _ b: String) -> Bool {
        a.utf8.elementsEqual(b.utf8) { asciiUppercased($0) == asciiUppercased($1) }
    }

    private static func asciiUppercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) ? byte - 0x20 : byte
    }

    /// Whether a header may become an HTTP_ variable: not `Proxy` (httpoxy, CVE-2016-5385),
    /// and no "_" in the name, which would make it the same variable as a "-" spelling.
    static func becomesVariable(_ headerName: String) -> Bool {
        let bytes = headerName.utf8
        return !bytes.contains(UInt8(ascii: "_"))
            && !(bytes.count == 5 && bytes.elementsEqual("proxy".utf8) { $0 | 0x20 == $1 })
    }

    /// "X-Custom-Thing" → "HTTP_X_CUSTOM_THING" (ASCII letters upper-cased: header names are
    /// tokens, so ASCII; any other byte is kept).
    static func variableName(forHeader name: String) -> String {
        let prefix = headerPrefix.utf8
        return String(unsafeUninitializedCapacity: prefix.count + name.utf8.count) { output in
            var end = output.initialize(fromContentsOf: prefix)
            for byte in name.utf8 {
                output[end] = switch byte {
                case UInt8(ascii: "-"): UInt8(ascii: "_")
                case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - 0x20
                default: byte
                }
                end += 1
            }
            return end
        }
    }

    /// A name `execve` can carry as "NAME=value".
    static func isUsableName(_ name: String) -> Bool {
        !name.isEmpty && !name.utf8.contains(UInt8(ascii: "=")) && !name.utf8.contains(0)
    }

    /// `value`, sanitized, added to the current entry of `block`.
    static func appendSanitized(_ value: String, to block: inout EnvironmentBlock) {
        if needsSanitizing(value) {
            block.appendValue(sanitized(value).utf8)
        } else {
            block.appendValue(value.utf8)
        }
    }

    /// CR, LF (and NUL) → space, then Unicode whitespace trimmed at both ends.
    static func sanitized(_ value: String) -> String {
        guard needsSanitizing(value) else { return value }
        var mapped = String.UnicodeScalarView()
        for scalar in value.unicodeScalars { mapped.append(isLineBreakOrNul(scalar) ? " " : scalar) }
        guard let start = mapped.firstIndex(where: { !$0.properties.isWhitespace }),
              let end = mapped.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(mapped[start ... end])
    }

    /// False for the usual value: no CR, LF or NUL, and ASCII non-space at both ends (a
    /// non-ASCII end may be Unicode whitespace, so it takes the full path).
    private static func needsSanitizing(_ value: String) -> Bool {
        let bytes = value.utf8
        guard let first = bytes.first, let last = bytes.last else { return false }
        func isPlainEnd(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x80 }
        return !isPlainEnd(first) || !isPlainEnd(last)
            || bytes.contains { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") || $0 == 0 }
    }

    private static func isLineBreakOrNul(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\r" || scalar == "\n" || scalar == "\0"
    }
}
