/// Why a `--trusted-proxy` value is not a network, worded for the command line.
///
/// Why it exists: a refused trust list must say which value and what is wrong with it
/// (`"10.0.0.0/33": prefix length above 32`), not only that parsing failed.
public struct IPNetworkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public enum Problem: Sendable, Equatable {
        /// An empty value, e.g. from `a,,b`.
        case empty
        /// `[::1]`: brackets belong to URLs and host:port pairs, not to networks.
        case bracketed
        /// The part before `/` is not an IPv4 or IPv6 address.
        case notAnAddress
        /// The part after `/` is not one to three digits.
        case badPrefixLength
        /// The prefix length exceeds the address width (32 or 128).
        case prefixTooLong(maximum: Int)
        /// Bits after the prefix are set; `network` is the value with them cleared.
        case hostBitsSet(network: IPNetwork)
    }

    /// The refused value, as given.
    public let text: String
    /// What is wrong with it.
    public let problem: Problem

    public var description: String {
        let reason = switch problem {
        case .empty: "empty network"
        case .bracketed: "write an IPv6 network without brackets, e.g. fd00::/8"
        case .notAnAddress: "not an IPv4 or IPv6 address"
        case .badPrefixLength: "the prefix length after '/' must be a number"
        case .prefixTooLong(let maximum): "prefix length above \(maximum)"
        case .hostBitsSet(let network): "host bits set after the prefix; did you mean \(network)?"
        }
        return "\"\(text)\": \(reason)"
    }
}
