import WSGateConfig
import WSGateCore
import WSGateHTTP
import WSGatePosix

/// `--staticdir`: answers GET and HEAD with the files of one directory.
///
/// Why it exists: websocketd's tutorial serves the page and the socket from one port, so a
/// drop-in must serve files; and a file server facing browsers must get the details right
/// that make it cheap (conditional requests, ranges, `sendfile`) and safe (never a file
/// outside the directory, never a hidden one, never a FIFO or a device). What it answers:
/// - other methods: 405 with `Allow: GET, HEAD`;
/// - a malformed path: 400; a path above the root or out through a link, a special file, an
///   unreadable one: 403; a missing or hidden one: 404 (`404 page not found`, as Go's);
/// - a file the gateway cannot open for want of descriptors or memory: 503, logged as an error;
/// - a directory without its trailing "/": 301 to it; with it: its `index.html`, else a
///   listing (websocketd lists too; hidden names never appear);
/// - a file: 200, or 304 for a matching `If-None-Match` / `If-Modified-Since` (412 for a failed
///   `If-Match` / `If-Unmodified-Since`), or 206 for one satisfiable `Range` (416 if
///   unsatisfiable; several ranges get the whole file), always with `Content-Length`, `ETag`,
///   `Last-Modified` and `Accept-Ranges`; the body leaves with the head (up to 16 KiB) or by
///   `sendfile`.
///
/// Runs on the loop: every call is a few non-blocking system calls on local files.
struct StaticFileService: Sendable {
    let directory: ServedDirectory
    /// The log message of every answer, as websocketd's.
    static let logMessage = "STATIC"
    /// Bodies up to this size are read and sent with the head; larger ones go by `sendfile`.
    static let inlineBodyLimit = 16 * 1024

    /// The answer to `head`; `now` is the time in Unix seconds and `date` its `Date` header.
    func respond(to head: HTTPRequestHead, extraHeaders: [(name: String, value: String)], now: Int, date: String) -> PlainHTTPResponse {
        var responder = Responder(head: head, extraHeaders: extraHeaders, now: now, date: date)
        guard head.method == "GET" || head.method == "HEAD" else {
            return responder.plain(.methodNotAllowed, extra: [("Allow", "GET, HEAD")])
        }
        let relative: [UInt8]
        let endsWithSlash: Bool
        switch StaticPath(urlPath: head.path) {
        case .malformed: return responder.plain(.badRequest, note: "malformed path")
        case .aboveRoot: return responder.plain(.forbidden, note: "path above the directory")
        case .hidden: return responder.notFound(note: "hidden name")
        case .inside(let path, let slash):
            relative = path
            endsWithSlash = slash
        }
        switch directory.open(relative) {
        case .missing:
            return responder.notFound(note: nil)
        case .refused(let reason):
            return responder.plain(.forbidden, note: reason)
        case .failed(let error):
            return responder.unavailable(error)
        case .found(let file, let info) where info.kind == .directory:
            defer { file.close() }
            guard endsWithSlash else {
                let query = head.query.isEmpty ? "" : "?" + head.query
                return responder.plain(.movedPermanently, extra: [("Location", head.path + "/" + query)])
            }
            let index = relative.isEmpty ? Array("index.html".utf8) : relative + Array("/index.html".utf8)
            switch directory.open(index) {
            case .found(let indexFile, let indexInfo) where indexInfo.kind == .regular:
                return responder.file(indexFile, info: indexInfo, name: index)
            case .found(let indexFile, _):
                indexFile.close()
            case .failed(let error):
                return responder.unavailable(error)
            case .missing, .refused:
                break
            }
            do {
                let entries = try directory.entries(of: file, limit: DirectoryListing.maxEntries)
                return responder.bytes(DirectoryListing.html(entries: entries), contentType: "text/html; charset=utf-8")
            } catch {
                return responder.unavailable(error)
            }
        case .found(let file, let info):
            return responder.file(file, info: info, name: relative)
        }
    }
}

/// Builds one answer of `StaticFileService` with the headers every answer shares.
private struct Responder {
    let head: HTTPRequestHead
    let extraHeaders: [(name: String, value: String)]
    let now: Int
    let date: String

    private var isHead: Bool { head.method == "HEAD" }

    private func baseHeaders() -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.reserveCapacity(8 + extraHeaders.count)  // the most a file answer adds
        headers.add(name: "Date", value: date)
        for (name, value) in extraHeaders { headers.add(name: name, value: value) }
        return headers
    }

    private func message(_ note: String?, _ status: HTTPStatus) -> String {
        guard let note else { return StaticFileService.logMessage }
        return "\(StaticFileService.logMessage) refused (\(status.code)): \(note)"
    }

    /// A short text answer (its status line as body); `note` goes to the log.
    mutating func plain(_ status: HTTPStatus, extra: [(String, String)] = [], note: String? = nil) -> PlainHTTPResponse {
        text(status, "\(status.code) \(status.reasonPhrase)\n", extra: extra, note: note)
    }

    /// 503: the gateway lacks descriptors or memory; an error line, since the operator must act.
    func unavailable(_ error: IOError) -> PlainHTTPResponse {
        var response = text(.serviceUnavailable, "503 Service Unavailable\n", extra: [], note: nil)
        response.logLevel = .error
        response.logMessage = "\(StaticFileService.logMessage) failed (503): \(error)"
        return response
    }

    mutating func notFound(note: String?) -> PlainHTTPResponse {
        var response = text(.notFound, "404 page not found\n", extra: [], note: note)
        response.isNotFound = true
        return response
    }

    private func text(_ status: HTTPStatus, _ body: String, extra: [(String, String)], note: String?) -> PlainHTTPResponse {
        var headers = baseHeaders()
        for (name, value) in extra { headers.add(name: name, value: value) }
        let bytes = Array(body.utf8)
        headers.add(name: "Content-Type", value: HTTPResponseHead.plainTextContentType)
        headers.add(name: "Content-Length", value: String(bytes.count))
        return PlainHTTPResponse(head: HTTPResponseHead(status: status, headers: headers),
                                 body: isHead ? .none : .bytes(bytes), logMessage: message(note, status))
    }

    func bytes(_ body: [UInt8], contentType: String) -> PlainHTTPResponse {
        var headers = baseHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(body.count))
        return PlainHTTPResponse(head: HTTPResponseHead(status: .ok, headers: headers),
                                 body: isHead ? .none : .bytes(body), logMessage: StaticFileService.logMessage)
    }

    /// A regular file: validators, conditionals, one range, the body by `sendfile`.
    func file(_ file: FileDescriptor, info: FileInfo, name: [UInt8]) -> PlainHTTPResponse {
        let tag = EntityTag.forFile(size: info.size, modificationSeconds: info.modifiedSeconds,
                                    modificationNanoseconds: info.modifiedNanoseconds)
        // Never in the future (RFC 9110 §8.8.2.1): a clock set back must not pin caches.
        let lastModified = HTTPDate(unixSeconds: min(info.modifiedSeconds, now))
        var headers = baseHeaders()
        headers.add(name: "ETag", value: tag.fieldValue)
        headers.add(name: "Last-Modified", value: lastModified.imfFixdate)
        let rangeAllowed: Bool
        switch ConditionalRequest(headers: head.headers).evaluate(entityTag: tag, lastModified: lastModified,
                                                                   now: HTTPDate(unixSeconds: now)) {
        case .notModified:
            file.close()
            return PlainHTTPResponse(head: HTTPResponseHead(status: .notModified, headers: headers), body: .none,
                                     logMessage: StaticFileService.logMessage)
        case .preconditionFailed:
            file.close()
            headers.add(name: "Content-Length", value: "0")
            return PlainHTTPResponse(head: HTTPResponseHead(status: .preconditionFailed, headers: headers), body: .none,
                                     logMessage: StaticFileService.logMessage)
        case .proceed(let allowed):
            rangeAllowed = allowed
        }
        headers.add(name: "Content-Type", value: MediaType.contentType(forFileName: String(decoding: name, as: UTF8.self)))
        headers.add(name: "Accept-Ranges", value: ByteRangeRequest.bytesUnit)
        var status = HTTPStatus.ok
        var offset = 0
        var count = info.size
        // Range applies to GET only (RFC 9110 §14.2).
        let rangeHeader = rangeAllowed && !isHead ? head.headers.first("Range") : nil
        let range = ByteRangeRequest(parsing: rangeHeader, representationSize: info.size)
        switch range {
        case .ignored:
            break
        case .satisfiable(let bytes):
            status = .partialContent
            offset = bytes.lowerBound
            count = bytes.count
        case .unsatisfiable:
            file.close()
            if let contentRange = range.contentRange(representationSize: info.size) {
                headers.add(name: "Content-Range", value: contentRange.fieldValue)
            }
            headers.add(name: "Content-Length", value: "0")
            return PlainHTTPResponse(head: HTTPResponseHead(status: .rangeNotSatisfiable, headers: headers), body: .none,
                                     logMessage: StaticFileService.logMessage)
        }
        if status == .partialContent, let contentRange = range.contentRange(representationSize: info.size) {
            headers.add(name: "Content-Range", value: contentRange.fieldValue)
        }
        headers.add(name: "Content-Length", value: String(count))
        let response = HTTPResponseHead(status: status, headers: headers)
        guard !isHead, count > 0 else {
            file.close()
            return PlainHTTPResponse(head: response, body: .none, logMessage: StaticFileService.logMessage)
        }
        let body: PlainHTTPResponse.Body = count <= StaticFileService.inlineBodyLimit
            ? .smallFile(file, offset: offset, count: count) : .file(file, offset: offset, count: count)
        return PlainHTTPResponse(head: response, body: body, logMessage: StaticFileService.logMessage)
    }
}
