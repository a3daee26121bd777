/// The parsed command line: which mode, and its `--name=value` options.
///
/// Why it exists: all modes share one parser, so an option means the same everywhere and a
/// typo (`--conections=100`) fails loudly instead of benchmarking the default.
struct BenchOptions {
    let scenario: BenchScenario
    private let values: [String: String]

    /// Parses `arguments` (without the program name). Throws `.help` with the help text for
    /// `--help`, and `.usage` with a message for anything missing, unknown or malformed.
    init(_ arguments: [String]) throws(BenchError) {
        guard let first = arguments.first else { throw .usage(BenchScenario.usage) }
        if first == "--help" || first == "-h" || first == "help" { throw .help(BenchScenario.usage) }
        guard let scenario = BenchScenario(rawValue: first) else {
            throw .usage("wsgate-bench: unknown scenario \(first)\n\n" + BenchScenario.usage)
        }
        var values: [String: String] = [:]
        for argument in arguments.dropFirst() {
            if argument == "--help" || argument == "-h" {
                throw .help("usage: wsgate-bench \(scenario.rawValue) [--option=value ...]\n" + scenario.help
                            + "\n  options: " + scenario.options.map { "--\($0)" }.joined(separator: " ") + "\n")
            }
            guard argument.hasPrefix("--") else {
                throw .usage("wsgate-bench: unexpected argument \(argument) (options are --name=value)\n")
            }
            let parts = argument.dropFirst(2).split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            guard scenario.options.contains(name) else {
                throw .usage("wsgate-bench \(scenario.rawValue): unknown option --\(name); it takes "
                             + scenario.options.map { "--\($0)" }.joined(separator: " ") + "\n")
            }
            values[name] = parts.count > 1 ? String(parts[1]) : "true"
        }
        self.scenario = scenario
        self.values = values
    }

    func string(_ name: String, default fallback: String) -> String {
        values[name] ?? fallback
    }

    /// An integer option within `range`.
    func int(_ name: String, default fallback: Int, range: ClosedRange<Int> = 1...Int.max) throws(BenchError) -> Int {
        guard let text = values[name] else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw .usage("wsgate-bench: --\(name)=\(text) is not a whole number in \(range.lowerBound)...\(range.upperBound)\n")
        }
        return value
    }

    /// A positive number of seconds, as milliseconds.
    func milliseconds(_ name: String, defaultSeconds: Double) throws(BenchError) -> Int {
        guard let text = values[name] else { return Int(defaultSeconds * 1000) }
        guard let value = Double(text), value > 0, value < 1_000_000 else {
            throw .usage("wsgate-bench: --\(name)=\(text) is not a positive number of seconds\n")
        }
        return Int(value * 1000)
    }

    func bool(_ name: String) throws(BenchError) -> Bool {
        switch values[name] {
        case nil, "false": return false
        case "true": return true
        case let other?: throw .usage("wsgate-bench: --\(name)=\(other): use --\(name) or --\(name)=false\n")
        }
    }

    /// The required `--port`.
    func port() throws(BenchError) -> Int {
        guard values["port"] != nil else { throw .usage("wsgate-bench \(scenario.rawValue): --port is required\n") }
        return try int("port", default: 0, range: 1...65535)
    }
}
