/// The HTML page listing a served directory that has no `index.html`.
///
/// Why it exists: websocketd (Go's `http.FileServer`) lists such directories, and users of
/// `--staticdir=.` expect to browse; the page is built here so its escaping is tested apart.
/// Names come from the file system, not the client, but a file can be named
/// `<script>…`, so every name is HTML-escaped and percent-encoded in its link. Hidden
/// entries (a leading ".") are never listed.
enum DirectoryListing {
    /// At most this many entries are listed (a directory of millions would be a large page).
    static let maxEntries = 10_000

    /// `<pre>` with one link per entry, sorted by name; directories end in "/".
    static func html(entries: [(name: [UInt8], isDirectory: Bool)]) -> [UInt8] {
        var page = Array("<!doctype html>\n<meta charset=\"utf-8\">\n<pre>\n".utf8)
        let visible = entries.filter { $0.name.first != UInt8(ascii: ".") }
            .sorted { $0.name.lexicographicallyPrecedes($1.name) }
        for entry in visible {
            let name = entry.isDirectory ? entry.name + [UInt8(ascii: "/")] : entry.name
            page += Array("<a href=\"".utf8) + HTMLText.escaped(percentEncoded(name)) + Array("\">".utf8)
            page += HTMLText.escaped(name) + Array("</a>\n".utf8)
        }
        page += Array("</pre>\n".utf8)
        return page
    }

    /// Bytes other than unreserved characters and "/" as %XX (RFC 3986), so any file name is a
    /// valid relative link that cannot start a scheme ("javascript:" has its ":" encoded).
    static func percentEncoded(_ name: [UInt8]) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in name {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        return out
    }
}
