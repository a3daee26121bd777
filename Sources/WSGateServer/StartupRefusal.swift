/// A setting the gateway cannot use at start (an `--auth-*` key or password file, a `--user`
/// that does not exist): one line naming it, for the start-up failure (exit 1) or a reload's
/// log line.
struct StartupRefusal: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
