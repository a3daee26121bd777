import WSGateHTTP
@testable import WSGateServer

/// Taking `--auth-*` credentials out of a request (`OfferedCredentials`): the request that goes
/// on always parses and holds no `Authorization` header, no token cookie and no token parameter
/// (taking again finds nothing); every other query item and cookie stays, in order; a token
/// from the query is the first such item's value.
///
/// Input: a flag byte (bit 0: custom names `t` and `s` instead of `access_token`), then
/// NUL-separated the query, the Cookie value and the Authorization value (empty: no header).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCredentials(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let (flags, parts) = FuzzCheck.flagsAndFields(FuzzCheck.input(data, size), count: 3), parts.count == 3 else {
        return 0
    }
    let parameter = flags & 1 == 1 ? "t" : "access_token"
    let cookie = flags & 1 == 1 ? "s" : "access_token"
    var headers = HTTPHeaders()
    headers.add(name: "Host", value: "example")
    if !parts[1].isEmpty { headers.add(name: "Cookie", value: parts[1]) }
    if !parts[2].isEmpty { headers.add(name: "Authorization", value: parts[2]) }
    guard let target = try? RequestTarget(parsing: "/p?" + parts[0]),
          let head = try? HTTPRequestHead(method: "GET", target: target, version: .http1_1, headers: headers) else { return 0 }

    let offered = OfferedCredentials(from: head, cookie: cookie, parameter: parameter)
    guard let clean = offered.head else {
        FuzzCheck.require(false, "the request without its credentials does not parse: \(parts)")
        return 0
    }
    FuzzCheck.require(!clean.headers.contains("Authorization"), "Authorization passed on")
    let again = OfferedCredentials(from: clean, cookie: cookie, parameter: parameter)
    FuzzCheck.require(again.credential == nil, "a credential left in \(clean.target) \(clean.headers.values("Cookie"))")

    let items = head.query.split(separator: "&", omittingEmptySubsequences: false)
    func named(_ item: Substring) -> Bool { item.prefix { $0 != "=" } == parameter }
    let kept = items.filter { !named($0) }.joined(separator: "&")
    FuzzCheck.require(clean.query == kept, "query \(head.query) became \(clean.query), not \(kept)")
    FuzzCheck.require(clean.path == head.path, "path \(head.path) became \(clean.path)")
    if offered.credential?.source == .query, let first = items.first(where: named) {
        let value = first.drop { $0 != "=" }.dropFirst()
        FuzzCheck.require(offered.credential?.value == String(value), "query token \(String(describing: offered.credential))")
    }
    if offered.credential == nil {
        FuzzCheck.require(!items.contains(where: named), "a token parameter was not taken")
    }
    return 0
}
