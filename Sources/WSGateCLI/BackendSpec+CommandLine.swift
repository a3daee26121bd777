import WSGateConfig

extension BackendSpec {
    /// Reads `--tcp=HOST:PORT`: `host:5900`, `10.0.0.1:5900` or `[::1]:5900` (IPv6 needs its
    /// brackets, which are dropped). The port is decimal, 1...65535. Refused with exit 2.
    static func tcp(commandLine argument: FlagArgument) throws(CLIError) -> BackendSpec {
        let text = argument.text
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw argument.rejected("missing ']' after the IPv6 address")
            }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.first == ":" else { throw argument.rejected(Self.expectedHostPort) }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw argument.rejected(Self.expectedHostPort)
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            guard !host.contains(":") else {
                throw argument.rejected("an IPv6 address needs brackets, e.g. [::1]:5900")
            }
        }
        guard !host.isEmpty else { throw argument.rejected(Self.expectedHostPort) }
        guard host.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F && $0 != UInt8(ascii: "/") }) else {
            throw argument.rejected("the host must not contain spaces, '/' or control characters")
        }
        guard let port = Self.decimalPort(portText) else {
            throw argument.rejected("the port must be a number from 1 to 65535")
        }
        return .tcp(host: String(host), port: port)
    }

    static let expectedHostPort = "expected HOST:PORT"

    /// 1...65535 written in decimal digits only (no sign, no Go prefixes: this is an address).
    private static func decimalPort(_ text: Substring) -> Int? {
        guard (1...5).contains(text.utf8.count),
              text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let port = Int(text), (1...65535).contains(port)
        else { return nil }
        return port
    }
}
