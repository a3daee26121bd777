/// Why the command line cannot run: the one error type of the command-line layer.
///
/// Why it exists: websocketd scripts depend on its exit statuses (1 configuration, 2 flag syntax,
/// 4 dev console conflict), so every refusal carries its status and exactly one line naming the
/// problem. The messages of flag-syntax errors are Go's `flag` package's, word for word.
/// It must not print anything itself: the caller writes `fullText` to stderr and exits.
public enum CLIError: Error, Sendable, Equatable {
    /// No argument at all (websocketd: exit 1).
    case missingArguments
    /// A word like `---x` or `-=x`.
    case badFlagSyntax(word: String)
    /// `--foo` where no flag `foo` exists.
    case undefinedFlag(name: String)
    /// A value flag was the last word.
    case missingValue(flag: String)
    /// `--bool=x` with `x` not one of Go's `strconv.ParseBool` spellings.
    case invalidBoolean(value: String, flag: String)
    /// A value that does not parse or is out of range; `reason` is Go's `parse error` /
    /// `value out of range` or a short wsgate explanation.
    case invalidValue(value: String, flag: String, reason: String)
    /// `--loglevel` is not one of websocketd's names (exit 1, as websocketd).
    case unknownLogLevel(String)
    /// `--ssl` without both `--sslcert` and `--sslkey`.
    case sslNeedsCertificateAndKey
    /// `--sslcert` / `--sslkey` / `--sslca` without `--ssl`.
    case sslFilesWithoutSSL
    /// `--binary` together with `--passstderr` (JSON lines need line mode).
    case binaryWithPassStderr
    /// Neither a backend nor a plain-HTTP service.
    case noBackend
    /// More than one backend, named in command-line terms (`COMMAND`, `--dir`, ...).
    case ambiguousBackends([String])
    /// COMMAND not found as given / in `$PATH`.
    case commandNotFound(String)
    /// COMMAND names a file (`path`: as given, or found in `$PATH`) that may not be executed.
    case commandNotExecutable(name: String, path: String)
    /// `--dir`, `--staticdir` or `--cgidir` (named by `flag`) is not an existing directory.
    case notADirectory(flag: String, path: String)
    /// `--devconsole` with `--staticdir` or `--cgidir` (websocketd: exit 4).
    case devConsoleConflict
    /// A room flag (`--maxrooms`...) without `--broadcast`.
    case needsBroadcast(flag: String)
    /// A `--compress-*` flag changed from its default without `--compress`.
    case needsCompress(flag: String)
    /// `--broadcast` with a backend rooms cannot share (`--echo`, none) or with `--passstderr`.
    case broadcastConflict(String)
    /// `--accept-proxy-protocol` without `--trusted-proxy`.
    case proxyProtocolConflict(String)
    /// An `--auth-*` flag that needs another one (`--auth-scope=all` without a way to log in).
    case authConflict(String)
    /// `--pty` without a program, or `--pty-size` without `--pty`.
    case ptyConflict(String)
    /// `--rate-burst` without `--rate`.
    case rateBurstWithoutRate
    /// A feature that parses and validates but is not built yet: `--tcp`, `COMMAND`, ...
    case notYetAvailable(String)
    /// `--config`: the file cannot be read.
    case unreadableConfigFile(path: String, reason: String)
    /// `--config`: a line that is not `name = value`.
    case configSyntax(String)
    /// An error on a line of the config file (same exit status as the error itself).
    indirect case inConfigFile(path: String, line: Int, CLIError)

    /// The process exit status websocketd uses for this refusal.
    public var exitStatus: Int32 {
        switch self {
        case .badFlagSyntax, .undefinedFlag, .missingValue, .invalidBoolean, .invalidValue, .configSyntax:
            2
        case .inConfigFile(_, _, let error):
            error.exitStatus
        case .devConsoleConflict:
            4
        case .missingArguments, .unknownLogLevel, .sslNeedsCertificateAndKey, .sslFilesWithoutSSL,
             .binaryWithPassStderr, .noBackend, .ambiguousBackends, .commandNotFound, .commandNotExecutable,
             .notADirectory, .notYetAvailable, .unreadableConfigFile, .needsBroadcast, .needsCompress, .broadcastConflict,
             .proxyProtocolConflict, .authConflict, .rateBurstWithoutRate, .ptyConflict:
            1
        }
    }

    /// The one line naming the problem (no trailing newline).
    public var message: String {
        switch self {
        case .missingArguments:
            "Command line arguments are missing."
        case .badFlagSyntax(let word):
            "bad flag syntax: \(word)"
        case .undefinedFlag(let name):
            "flag provided but not defined: -\(name)"
        case .missingValue(let flag):
            "flag needs an argument: -\(flag)"
        case .invalidBoolean(let value, let flag):
            "invalid boolean value \(GoQuoting.quote(value)) for -\(flag): parse error"
        case .invalidValue(let value, let flag, let reason):
            "invalid value \(GoQuoting.quote(value)) for flag -\(flag): \(reason)"
        case .unknownLogLevel(let name):
            "Incorrect loglevel flag '\(name)'. Use --help to see allowed values."
        case .sslNeedsCertificateAndKey:
            "Please specify both --sslcert and --sslkey when requesting --ssl."
        case .sslFilesWithoutSSL:
            "You should not be using --ssl* flags when there is no --ssl option."
        case .binaryWithPassStderr:
            "--binary and --passstderr cannot be used together (--passstderr needs line mode)."
        case .noBackend:
            "Please specify COMMAND or provide --dir, --tcp, --unix, --echo, --staticdir, "
                + "--cgidir or --devconsole."
        case .ambiguousBackends(let names):
            "Ambiguous command line: \(Self.naturalList(names)) given"
        case .commandNotFound(let name):
            "Unable to locate specified COMMAND '\(name)' in OS path."
        case .commandNotExecutable(let name, let path):
            name == path ? "Specified COMMAND '\(name)' is not executable."
                : "Specified COMMAND '\(name)' found at '\(path)' is not executable."
        case .notADirectory(let flag, let path):
            "Your \(Self.directoryNoun(flag)) '\(path)' is not pointing to an accessible directory."
        case .devConsoleConflict:
            "--devconsole cannot be used together with --staticdir or --cgidir."
        case .needsBroadcast(let flag):
            "--\(flag) only applies to rooms: add --broadcast."
        case .needsCompress(let flag):
            "--\(flag) only applies to compression: add --compress."
        case .broadcastConflict(let problem):
            "--broadcast \(problem)."
        case .proxyProtocolConflict(let problem):
            "--accept-proxy-protocol \(problem)."
        case .authConflict(let problem):
            problem
        case .ptyConflict(let problem):
            problem
        case .rateBurstWithoutRate:
            "--rate-burst only applies to a handshake rate: add --rate."
        case .notYetAvailable(let feature):
            "wsgate: \(feature) is not available yet in this version"
        case .unreadableConfigFile(let path, let reason):
            "Cannot read config file '\(path)': \(reason)"
        case .configSyntax(let problem):
            problem
        case .inConfigFile(let path, let line, let error):
            "\(path):\(line): \(error.message)"
        }
    }

    /// What the caller prints: `message`, and for exit status 2 (flag syntax) and a command
    /// line that names no backend a second line pointing at the help. No trailing newline.
    public var fullText: String {
        exitStatus == 2 || self == .noBackend ? message + "\n" + Self.usageHint : message
    }

    /// The line that follows every exit-2 message and the no-backend one.
    public static let usageHint = "Run 'wsgate --help' for usage."

    /// "A and B both" / "A, B and C all".
    private static func naturalList(_ names: [String]) -> String {
        guard names.count > 2, let last = names.last else {
            return names.joined(separator: " and ") + " both"
        }
        return names.dropLast().joined(separator: ", ") + " and " + last + " all"
    }

    /// websocketd's wording for each directory flag.
    private static func directoryNoun(_ flag: String) -> String {
        switch flag {
        case "cgidir": "CGI dir"
        case "staticdir": "static dir"
        default: "script dir"
        }
    }
}
