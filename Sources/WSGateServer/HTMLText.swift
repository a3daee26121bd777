/// HTML escaping for the text the gateway writes into its own pages.
///
/// Why it exists: the pages wsgate builds carry values someone else chose: file names in a
/// directory listing, the request's path and `Host` in the dev console (websocketd 0.4.1 put
/// those into its console unescaped: a reflected XSS). One helper, used for text and for
/// quoted attribute values alike, turns every character that could end either into a
/// character reference, so such a value can only ever be text.
enum HTMLText {
    /// `&`, `<`, `>`, `"` and `'` as character references; every other byte unchanged.
    static func escaped(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "&"): out += Array("&amp;".utf8)
            case UInt8(ascii: "<"): out += Array("&lt;".utf8)
            case UInt8(ascii: ">"): out += Array("&gt;".utf8)
            case UInt8(ascii: "\""): out += Array("&#34;".utf8)
            case UInt8(ascii: "'"): out += Array("&#39;".utf8)
            default: out.append(byte)
            }
        }
        return out
    }

    /// `text` escaped as `escaped(_:)` does.
    static func escaped(_ text: String) -> String {
        String(decoding: escaped(Array(text.utf8)), as: UTF8.self)
    }
}
