import Testing
import WSGateHTTP

@Suite(.timeLimit(.minutes(10))) struct MediaTypeTests {
    @Test(arguments: [
        ("index.html", "text/html; charset=utf-8"),
        ("old.htm", "text/html; charset=utf-8"),
        ("style.css", "text/css; charset=utf-8"),
        ("app.js", "text/javascript; charset=utf-8"),
        ("module.mjs", "text/javascript; charset=utf-8"),
        ("notes.txt", "text/plain; charset=utf-8"),
        ("table.csv", "text/csv; charset=utf-8"),
        ("README.md", "text/markdown; charset=utf-8"),
        ("data.json", "application/json"),
        ("app.js.map", "application/json"),
        ("site.webmanifest", "application/manifest+json"),
        ("feed.xml", "application/xml"),
        ("lib.wasm", "application/wasm"),
        ("doc.pdf", "application/pdf"),
        ("bundle.zip", "application/zip"),
        ("archive.tar.gz", "application/gzip"),
        ("logo.svg", "image/svg+xml"),
        ("a.png", "image/png"),
        ("a.jpg", "image/jpeg"),
        ("a.jpeg", "image/jpeg"),
        ("a.gif", "image/gif"),
        ("a.webp", "image/webp"),
        ("a.avif", "image/avif"),
        ("favicon.ico", "image/vnd.microsoft.icon"),
        ("f.woff", "font/woff"),
        ("f.woff2", "font/woff2"),
        ("f.ttf", "font/ttf"),
        ("f.otf", "font/otf"),
        ("v.mp4", "video/mp4"),
        ("v.webm", "video/webm"),
        ("s.mp3", "audio/mpeg"),
        ("s.ogg", "audio/ogg"),
        ("s.wav", "audio/wav"),
    ])
    func knownExtensions(name: String, type: String) {
        #expect(MediaType.contentType(forFileName: name) == type)
    }

    @Test func extensionsAreCaseInsensitive() {
        #expect(MediaType.contentType(forFileName: "INDEX.HTML") == "text/html; charset=utf-8")
        #expect(MediaType.contentType(forFileName: "Photo.JpEg") == "image/jpeg")
        #expect(MediaType.contentType(forFileName: "F.WOFF2") == "font/woff2")
    }

    @Test func onlyTheLastComponentAndItsLastDotCount() {
        #expect(MediaType.contentType(forFileName: "/srv/www/css/site.css") == "text/css; charset=utf-8")
        #expect(MediaType.contentType(forFileName: "/srv/v1.2/README") == MediaType.defaultType)
        #expect(MediaType.contentType(forFileName: "dir.html/file") == MediaType.defaultType)
        #expect(MediaType.contentType(forFileName: "page.html.bak") == MediaType.defaultType)
        #expect(MediaType.contentType(forFileName: ".html") == "text/html; charset=utf-8")
    }

    @Test(arguments: ["", "Makefile", "file.", "file.exe", "file.HTMLX", "a.ht ml", "a.html ", "noext/",
                      "x." + String(repeating: "h", count: 10_000), "caf\u{E9}.\u{E9}", "a.js\u{0}"])
    func unknownNamesAreOctetStream(name: String) {
        #expect(MediaType.contentType(forFileName: name) == "application/octet-stream")
    }

    @Test func theTableIsWellFormed() {
        for (fileExtension, type) in MediaType.byExtension {
            #expect(fileExtension == fileExtension.lowercased() && !fileExtension.contains("."), "\(fileExtension)")
            #expect(HTTPHeaders.isValidValue(type), "\(type)")
            #expect(type.hasPrefix("text/") == type.hasSuffix("; charset=utf-8"), "\(fileExtension): \(type)")
        }
        #expect(MediaType.defaultType == "application/octet-stream")
    }
}
