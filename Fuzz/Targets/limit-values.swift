import WSGateCLI
import WSGateConfig

/// The values of the limit and access flags, through the whole command line: any text gives a
/// config or a usage error naming the flag (exit 2), never a crash; what is accepted reads back
/// the same when written as the help and logs write it (DURATION, `--rate`), and `--rlimit`
/// never yields the reserved `unlimited` from a number.
///
/// Input: a flag byte (which flag, modulo the list), then the value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLimitValues(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzCheck.input(data, size)
    guard let selector = input.first else { return 0 }
    let flags = ["max-session", "idle-timeout", "rlimit", "rate", "max-per-ip", "auth-realm", "auth-token-param"]
    let flag = flags[Int(selector) % flags.count]
    let value = String(decoding: input.dropFirst(), as: UTF8.self)
    let extra = flag == "auth-token-param" ? ["--auth-token-key=k"] : []
    let config: GatewayConfig
    do {
        guard case .run(let parsed) = try CommandLineParser.parse(["--echo", "--\(flag)=\(value)"] + extra,
                                                                  environment: .permissive) else { return 0 }
        config = parsed
    } catch {
        FuzzCheck.require(error.exitStatus == 2 && error.message.contains(flag), "\(flag)=\(value): \(error.message)")
        return 0
    }
    switch flag {
    case "max-session", "idle-timeout":
        let ms = flag == "max-session" ? config.maxSessionMs : config.idleTimeoutMs
        FuzzCheck.require(ms >= 0 && ms <= Int(Int32.max), "\(flag)=\(value) gave \(ms)")
        let again = DurationSyntax.parse(DurationSyntax.text(milliseconds: ms), maximumMilliseconds: Int(Int32.max))
        FuzzCheck.require(ms == 0 || again == .milliseconds(ms), "\(ms) written and read back as \(again)")
    case "rlimit":
        for limit in config.resourceLimits where !value.contains("unlimited") {
            FuzzCheck.require(limit.value != ResourceLimit.unlimited, "\(value) became unlimited")
        }
    case "rate":
        if let rate = config.rate {
            let again = try? CommandLineParser.parse(["--echo", "--rate=\(rate)"], environment: .permissive)
            guard case .run(let reread)? = again else {
                FuzzCheck.require(false, "\(rate) does not read back")
                return 0
            }
            FuzzCheck.require(reread.rate == rate && rate.intervalNanoseconds > 0, "\(rate) read back as \(String(describing: reread.rate))")
        }
    case "max-per-ip":
        if let count = config.maxPerIP { FuzzCheck.require((1...1_000_000).contains(count), "max-per-ip \(count)") }
    case "auth-realm":
        FuzzCheck.require(!config.authRealm.contains("\"") && !config.authRealm.isEmpty, "realm \(config.authRealm)")
    default:
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        FuzzCheck.require(config.authTokenParam.map { !$0.isEmpty && $0.allSatisfy(unreserved.contains) } ?? true,
                          "parameter \(String(describing: config.authTokenParam))")
    }
    return 0
}
