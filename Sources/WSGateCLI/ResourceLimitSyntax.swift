import WSGateConfig

/// Reads `--rlimit`'s value: `NAME=VALUE` pairs separated by commas, e.g.
/// `as=512M,nproc=64,cpu=60,nofile=256`.
///
/// Why it exists: the names are `ulimit`'s, the byte sizes take binary suffixes (K, M, G, T:
/// 1024-based) and `unlimited` lifts a limit; a typo must be refused at start with the flag
/// named, not become a program that cannot start.
enum ResourceLimitSyntax {
    /// Why a value is refused, for the flag's error line.
    struct Refusal: Error, Equatable {
        let reason: String
    }

    /// The limits in `text`, in order, or why it is not a list of them.
    static func parse(_ text: String) -> Result<[ResourceLimit], Refusal> {
        var limits: [ResourceLimit] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pair = String(item).trimmingSpacesAndTabs()
            guard let equals = pair.firstIndex(of: "=") else { return .failure(Refusal(reason: "expected NAME=VALUE, got '\(pair)'")) }
            let name = String(pair[..<equals])
            guard let resource = ResourceLimit.Resource(rawValue: name) else {
                let names = ResourceLimit.Resource.allCases.map(\.rawValue).joined(separator: ", ")
                return .failure(Refusal(reason: "unknown resource '\(name)' (one of \(names))"))
            }
            let text = String(pair[pair.index(after: equals)...])
            guard let value = value(text, bytes: resource.isBytes) else {
                let expected = resource.isBytes ? "a size such as 512M or unlimited" : "a whole number or unlimited"
                return .failure(Refusal(reason: "\(name)=\(text): expected \(expected)"))
            }
            limits.append(ResourceLimit(resource, value))
        }
        return .success(limits)
    }

    private static func value(_ text: String, bytes: Bool) -> UInt64? {
        if text == "unlimited" { return ResourceLimit.unlimited }
        var digits = Substring(text)
        var scale: UInt64 = 1
        let suffixes: [Character] = ["K", "M", "G", "T"]
        if bytes, let last = digits.last, let power = suffixes.firstIndex(of: Character(last.uppercased())) {
            scale = 1 << (10 * UInt64(power + 1))
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), let number = UInt64(digits) else { return nil }
        let (product, overflow) = number.multipliedReportingOverflow(by: scale)
        return overflow || product == ResourceLimit.unlimited ? nil : product
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
