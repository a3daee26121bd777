import WSGateServer

/// The `--origin` / `--sameorigin` matcher: no restriction allows everything, a missing or
/// `null` Origin is refused under any restriction, and a page on a listed host (or, with
/// `--sameorigin`, on the Host header's host and port) is always allowed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOrigin(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzCheck.input(data, size)
    guard let (flags, parts) = FuzzCheck.flagsAndFields(input, count: 3) else { return 0 }
    let list = parts.first.map { $0.split(separator: ",").map(String.init) } ?? []
    let origin = parts.count > 1 ? parts[1] : nil
    let host = parts.count > 2 ? parts[2] : nil
    let policy = OriginPolicy(allowed: list, sameOrigin: flags & 1 == 1)
    let allowed = policy.allows(origin: origin, host: host)
    if !policy.isRestricted { FuzzCheck.require(allowed, "no restriction refused \(String(describing: origin))") }
    if policy.isRestricted && (origin == nil || origin == "null") { FuzzCheck.require(!allowed, "a null Origin passed") }

    // A plain host name made of the input: listed, its pages pass; as the Host, same-origin.
    let name = String(decoding: input.map { UInt8(ascii: "a") + $0 % 26 }.prefix(40), as: UTF8.self)
    let port = 1 + Int(flags) * 37
    let page = "http://\(name):\(port)"
    FuzzCheck.require(OriginPolicy(allowed: [name], sameOrigin: false).allows(origin: page, host: nil), "\(name) listed, \(page) refused")
    FuzzCheck.require(OriginPolicy(allowed: [], sameOrigin: true).allows(origin: page, host: "\(name):\(port)"),
                      "\(page) refused as same-origin with Host \(name):\(port)")
    return 0
}
