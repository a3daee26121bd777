/// One metric of the Prometheus text format: its name, help, type and samples.
///
/// Why it exists: the scrape builds a list of these from the summed counters and the process
/// figures, and `MetricsExposition` writes them; keeping the data apart from the writing lets
/// the format's rules (escaping, HELP/TYPE lines, number spelling) be tested on their own.
struct MetricFamily: Equatable {
    enum Kind: String {
        case counter
        case gauge
    }

    /// A label pair of a sample.
    struct Label: Equatable {
        var name: String
        var value: String
    }

    /// One value of the family, with its labels (none for an unlabelled metric).
    struct Sample: Equatable {
        var labels: [Label]
        var value: Value
    }

    /// Integers are written exactly; reals as Prometheus parses floats (`+Inf`, `NaN`).
    enum Value: Equatable {
        case integer(Int)
        case real(Double)
    }

    var name: String
    var help: String
    var kind: Kind
    var samples: [Sample]

    /// A family with one unlabelled sample.
    static func single(_ name: String, _ kind: Kind, _ help: String, _ value: Value) -> MetricFamily {
        MetricFamily(name: name, help: help, kind: kind, samples: [Sample(labels: [], value: value)])
    }
}
