/// The one machine-readable line a run ends with: `RESULT scenario=echo rate=… errors=0`.
///
/// Why it exists: the driver script parses results with awk, so they must come as plain
/// `key=value` words on one line with a fixed prefix, whatever the human-readable lines say.
/// Values must not contain spaces.
struct ResultLine {
    private var fields: [String]

    init(scenario: BenchScenario) {
        fields = ["scenario=\(scenario.rawValue)"]
    }

    mutating func add(_ key: String, _ value: some CustomStringConvertible) {
        fields.append("\(key)=\(value)")
    }

    /// A rate or duration with three decimals.
    mutating func add(_ key: String, decimal value: Double) {
        add(key, ResultLine.format(value))
    }

    var text: String { "RESULT " + fields.joined(separator: " ") + "\n" }

    /// `value` with three decimals, without Foundation's formatters.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let scaled = Int64((abs(value) * 1000).rounded())
        let fraction = String(scaled % 1000)
        return (value < 0 ? "-" : "") + "\(scaled / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
