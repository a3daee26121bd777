/// The `Content-Type` of a file, chosen by its name's extension from our own table.
///
/// Why it exists: the static file server must label what it sends, and the label must not
/// depend on the host (no `/etc/mime.types`) or on sniffing the content, so the same file is
/// served the same way everywhere. Text types say `charset=utf-8` (the files of a web app are
/// UTF-8; without it a browser guesses); `application/json` has no charset parameter
/// (RFC 8259 §11: JSON is UTF-8 and the parameter is undefined), nor do the XML types
/// (`application/xml`, `image/svg+xml`), whose documents declare their own encoding
/// (RFC 7303 §3). An unknown extension is `application/octet-stream`, arbitrary bytes
/// (RFC 2046 §4.5.1), which a browser saves rather than renders or runs.
public enum MediaType {
    /// The type of a file whose extension is not in the table.
    public static let defaultType = "application/octet-stream"

    /// Lowercase extension → media type, with parameters.
    public static let byExtension: [String: String] = [
        // text (UTF-8)
        "html": "text/html; charset=utf-8",
        "htm": "text/html; charset=utf-8",
        "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8",      // RFC 9239 §6
        "mjs": "text/javascript; charset=utf-8",
        "txt": "text/plain; charset=utf-8",
        "csv": "text/csv; charset=utf-8",            // RFC 7111
        "md": "text/markdown; charset=utf-8",        // RFC 7763 (charset required)
        // structured data
        "json": "application/json",
        "map": "application/json",                   // source maps
        "webmanifest": "application/manifest+json",
        "xml": "application/xml",                    // RFC 7303
        "wasm": "application/wasm",
        "pdf": "application/pdf",
        "zip": "application/zip",
        "gz": "application/gzip",                    // RFC 6713
        // images
        "svg": "image/svg+xml",
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "gif": "image/gif",
        "webp": "image/webp",
        "avif": "image/avif",
        "ico": "image/vnd.microsoft.icon",
        // fonts (RFC 8081)
        "woff": "font/woff",
        "woff2": "font/woff2",
        "ttf": "font/ttf",
        "otf": "font/otf",
        // audio and video
        "mp4": "video/mp4",
        "webm": "video/webm",
        "mp3": "audio/mpeg",
        "ogg": "audio/ogg",
        "wav": "audio/wav",
    ]

    /// The longest extension in the table is shorter; a longer one is not looked up.
    private static let maxExtensionLength = 16

    /// The `Content-Type` for `fileName` (a name or a path: only the last component counts),
    /// by the bytes after its last "." compared case-insensitively (`INDEX.HTML` is HTML);
    /// `defaultType` when there is no dot, nothing after it, or no entry.
    public static func contentType(forFileName fileName: String) -> String {
        let bytes = fileName.utf8
        guard let dot = bytes.lastIndex(of: UInt8(ascii: ".")),
              !bytes[dot...].contains(HTTPGrammar.slash)
        else { return defaultType }
        let fileExtension = bytes[bytes.index(after: dot)...]
        guard fileExtension.count <= maxExtensionLength else { return defaultType }
        let key = String(decoding: fileExtension.map(HTTPGrammar.lowercased), as: UTF8.self)
        return byExtension[key] ?? defaultType
    }
}
