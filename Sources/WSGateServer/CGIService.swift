import WSGateHTTP
import WSGatePosix

/// `--cgidir`: which requests run a CGI script, and the script's facts.
///
/// Why it exists: websocketd hands a request to Go's `net/http/cgi` only when the URL path
/// names a file of the directory exactly (`/env.cgi/extra` is not a script with a PATH_INFO:
/// it falls through to static files or 404). The decision is taken here, with the same safety
/// as `--staticdir`: the path is decoded once (`StaticPath`), hidden names are never run, and
/// the kernel refuses a path that leaves the directory through a link (`ServedDirectory`).
/// Running the script is `CGIExchange`'s job.
struct CGIService: Sendable {
    let directory: ServedDirectory
    /// The directory's absolute path, without a trailing "/" ("" for "/").
    let root: String
    /// The largest request body a script is given; a longer one is answered 413.
    let maxBodyBytes: Int

    /// A script to run for one request.
    struct Script: Equatable, Sendable {
        /// Absolute path of the file (SCRIPT_FILENAME, and what is executed).
        let path: String
        /// The directory the script runs in (its own, as Go's net/http/cgi does).
        let workingDirectory: String
    }

    /// What a request's path is to the CGI directory.
    enum Lookup: Equatable {
        case script(Script)
        /// Not a script (missing, hidden, special, a directory): the next service is asked.
        case notAScript
        /// The file could not be looked at for want of descriptors or memory: 503.
        case unavailable(String)
    }

    /// What `head`'s path names.
    func lookUp(_ head: HTTPRequestHead) -> Lookup {
        guard case .inside(let relative, endsWithSlash: false) = StaticPath(urlPath: head.path), !relative.isEmpty else {
            return .notAScript
        }
        switch directory.open(relative) {
        case .failed(let error):
            return .unavailable(error.description)
        case .missing, .refused:
            return .notAScript
        case .found(let file, let info):
            file.close()
            // A name that is not UTF-8 could not be passed on unchanged (SCRIPT_FILENAME, exec).
            guard info.kind == .regular, let name = String(validating: relative, as: UTF8.self) else { return .notAScript }
            let path = root + "/" + name
            let slash = path.utf8.lastIndex(of: UInt8(ascii: "/"))!
            return .script(Script(path: path, workingDirectory: String(path[..<slash])))
        }
    }
}
