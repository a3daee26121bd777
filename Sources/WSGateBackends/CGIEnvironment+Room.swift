public import WSGatePosix

/// The environment of a room's program (`--broadcast`): the CGI environment of the URL path
/// without what describes one client, plus `WSGATE_ROOM`.
///
/// Why it exists: a room's program serves every client of its path, so a variable that came
/// from the first client (its address, its headers, its query string) would be a lie about
/// all the others, and a leak of that client's cookies to them.
extension CGIEnvironment {
    /// Left out of a room's environment: they describe one client or one request, not the room.
    /// REMOTE_* and UNIQUE_ID name the client and its connection; QUERY_STRING and REQUEST_URI
    /// are its query (the room is the path alone); SERVER_NAME and SERVER_PORT come from its
    /// Host header; AUTH_TYPE, CONTENT_LENGTH, CONTENT_TYPE are per request; SSL_CLIENT_* are
    /// its certificate. HTTP_* (its headers) are never added in the first place.
    public static let clientSpecificNames: Set<String> = [
        "REMOTE_ADDR", "REMOTE_HOST", "REMOTE_PORT", "REMOTE_IDENT", "REMOTE_USER", "UNIQUE_ID",
        "QUERY_STRING", "REQUEST_URI", "SERVER_NAME", "SERVER_PORT", "AUTH_TYPE", "CONTENT_LENGTH",
        "CONTENT_TYPE", "SSL_CLIENT_S_DN", "SSL_CLIENT_VERIFY",
    ]

    /// The room's variable: the URL path the clients share.
    public static let roomVariable = "WSGATE_ROOM"

    /// The environment of the program of the room `room` (the decoded path; `rawPath` as the
    /// request had it): what `build` gives for a request without headers, minus
    /// `clientSpecificNames`, plus `WSGATE_ROOM`.
    public static func buildForRoom(room: String, rawPath: String, scriptName: String, pathInfo: String, isHTTPS: Bool,
                                    serverSoftware: String,
                                    passedEnvironment: [(name: String, value: String)]) -> EnvironmentBlock {
        let request = CGIRequest(
            remoteAddress: "", remoteHost: "", remotePort: "", method: "GET", requestURI: rawPath, path: rawPath,
            query: "", scriptName: scriptName, pathInfo: pathInfo, host: "", headers: [], isHTTPS: isHTTPS,
            uniqueID: "", serverSoftware: serverSoftware)
        var block = EnvironmentBlock()
        for entry in build(request, passedEnvironment: passedEnvironment).entries {
            let name = String(entry.prefix { $0 != "=" })
            if clientSpecificNames.contains(name) { continue }
            block.add(name, String(entry.dropFirst(name.count + 1)))
        }
        block.add(roomVariable, room)
        return block
    }
}
