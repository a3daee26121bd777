/// One entry of a forwarding header: the address a proxy says it received the request from.
///
/// Why it exists: `X-Forwarded-For` and `Forwarded` spell their entries differently, but the
/// walk that finds the client only needs to know, per entry, which address (and maybe port) it
/// names, or that it names none that can be used.
public enum ForwardedHop: Sendable, Equatable {
    /// An address, with the port when the entry gave a numeric one.
    case address(IPAddress, port: UInt16?)
    /// `unknown`, an obfuscated identifier (`_hidden`), a `Forwarded` element without `for=`,
    /// or text that is not an address: nothing behind this entry can be checked.
    case unusable
}
