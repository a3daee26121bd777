import WSGateConfig

/// Turns wsgate's argument list into a `CommandLineOutcome`, exactly as websocketd would.
///
/// Why it exists: wsgate is a drop-in replacement for websocketd, whose command line is read by
/// Go's `flag` package: `-flag` == `--flag`; `--flag=value` or `--flag value`, where the next
/// word is taken even if it starts with `-`; booleans only as `--flag` or `--flag=BOOL`;
/// parsing stops at `--` (consumed) or at the first word that is not a flag, which is COMMAND,
/// every later word being COMMAND's arguments verbatim. The steps and their order follow
/// websocketd's: flag syntax (exit 2), `--loglevel` (exit 1), `--version` / `--license`
/// (exit 0), then the cross-flag checks of `CommandLineValidator`.
/// It performs no I/O: everything it needs from the system comes in the environment.
public enum CommandLineParser {
    /// Parses `arguments` (argv without argv[0]).
    public static func parse(
        _ arguments: [String], environment: CommandLineEnvironment
    ) throws(CLIError) -> CommandLineOutcome {
        try parse(arguments, environment: environment, enforcingAvailability: true)
    }

    /// `parse`, optionally skipping the not-yet-available refusals (tests of later features).
    static func parse(
        _ arguments: [String], environment: CommandLineEnvironment, enforcingAvailability: Bool
    ) throws(CLIError) -> CommandLineOutcome {
        guard !arguments.isEmpty else { throw .missingArguments }
        var parsed = try readFlags(arguments)
        if let path = parsed.config.configFile, !parsed.helpRequested {
            parsed = try readFlags(merging: path, into: arguments, commandLine: parsed, environment: environment)
        }
        if parsed.helpRequested { return .help(HelpText.text) }
        let logLevel = try CommandLineValidator.logLevel(parsed)
        if parsed.showVersion { return .version(Version.versionLine) }
        if parsed.showLicense { return .license(License.printout) }
        var config = try CommandLineValidator.validate(parsed, environment: environment)
        config.logLevel = logLevel
        if enforcingAvailability {
            try CommandLineValidator.requireAvailable(parsed)
        }
        return .run(config)
    }

    /// `--config=FILE`: the file's flags come first, so the command line's override them; the
    /// file's `command` is used when the command line names none. Each file line is also
    /// checked alone, so an error names its line.
    static func readFlags(merging path: String, into arguments: [String], commandLine: ParsedArguments,
                          environment: CommandLineEnvironment) throws(CLIError) -> ParsedArguments {
        let text: String
        switch environment.readFile(path) {
        case .success(let contents): text = contents
        case .failure(let problem): throw .unreadableConfigFile(path: path, reason: problem.reason)
        }
        let file = try ConfigFile(parsing: text, path: path)
        for setting in file.settings {
            do {
                _ = try readFlags([setting.argument])
            } catch {
                throw .inConfigFile(path: path, line: setting.line, error)
            }
        }
        var flags = Array(arguments.dropLast(commandLine.command.count))
        if flags.last == "--" { flags.removeLast() }
        let command = commandLine.command.isEmpty ? file.command : commandLine.command
        var merged = try readFlags(file.settings.map(\.argument) + flags + (command.isEmpty ? [] : ["--"] + command))
        merged.config.configFile = path
        return merged
    }

    /// The Go `flag` pass: stores every flag's value, stops at help, `--` or COMMAND.
    static func readFlags(_ arguments: [String]) throws(CLIError) -> ParsedArguments {
        var parsed = ParsedArguments()
        var index = arguments.startIndex
        scanning: while index < arguments.endIndex {
            let word = arguments[index]
            switch try ArgumentTokenizer.classify(word) {
            case .operand:
                break scanning
            case .endOfFlags:
                index += 1
                break scanning
            case .flag(let name, let inlineValue):
                index += 1
                guard let spec = FlagSpec.named(name) else { throw .undefinedFlag(name: name) }
                // Go: `-h` / `-help` stop parsing with ErrHelp whatever follows, even `=false`.
                if spec.name == "help" {
                    parsed.helpRequested = true
                    return parsed
                }
                let text: String
                if let inlineValue {
                    text = inlineValue
                } else if !spec.kind.takesValue {
                    text = "true"
                } else if index < arguments.endIndex {
                    text = arguments[index]
                    index += 1
                } else {
                    throw .missingValue(flag: name)
                }
                try spec.store(&parsed, FlagArgument(flag: name, text: text))
                parsed.noteGiven(spec.name)
            }
        }
        parsed.command = Array(arguments[index...])
        return parsed
    }
}
