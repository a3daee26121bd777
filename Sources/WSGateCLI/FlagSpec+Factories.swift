/// Table-row builders: each turns a typed setter into the uniform `store` closure, so the rows
/// in `FlagSpec.all` state only what differs between flags.
extension FlagSpec {
    /// A boolean flag (`--name` or `--name=BOOL`).
    static func bool(
        _ name: String, aliases: [String] = [], _ group: FlagGroup, _ availability: FlagAvailability,
        help: String, set: @escaping @Sendable (inout ParsedArguments, Bool) -> Void
    ) -> FlagSpec {
        FlagSpec(
            name: name, aliases: aliases, kind: .bool, placeholder: "", help: help, defaultText: nil,
            group: group, availability: availability
        ) { draft, argument throws(CLIError) in
            set(&draft, try argument.boolean())
        }
    }

    /// An integer flag, Go syntax, refused outside `range`.
    static func int(
        _ name: String, _ group: FlagGroup, _ availability: FlagAvailability, placeholder: String,
        range: ClosedRange<Int>, default defaultText: String?, help: String,
        set: @escaping @Sendable (inout ParsedArguments, Int) -> Void
    ) -> FlagSpec {
        FlagSpec(
            name: name, aliases: [], kind: .int(range), placeholder: placeholder, help: help,
            defaultText: defaultText, group: group, availability: availability
        ) { draft, argument throws(CLIError) in
            set(&draft, try argument.integer(in: range))
        }
    }

    /// A DURATION flag (`DurationSyntax`: `90s`, `10m`, `1h`; a bare number is seconds), stored
    /// in milliseconds; `0` or empty is 0, at most `maximumMilliseconds`.
    static func duration(
        _ name: String, _ group: FlagGroup, _ availability: FlagAvailability, default defaultText: String?,
        help: String, set: @escaping @Sendable (inout ParsedArguments, Int) -> Void
    ) -> FlagSpec {
        FlagSpec(
            name: name, aliases: [], kind: .string, placeholder: "DURATION", help: help,
            defaultText: defaultText, group: group, availability: availability
        ) { draft, argument throws(CLIError) in
            set(&draft, try argument.duration(maximum: maximumMilliseconds))
        }
    }

    /// A string flag; given twice, the last wins.
    static func string(
        _ name: String, _ group: FlagGroup, _ availability: FlagAvailability, placeholder: String,
        default defaultText: String?, help: String,
        set: @escaping @Sendable (inout ParsedArguments, FlagArgument) throws(CLIError) -> Void
    ) -> FlagSpec {
        FlagSpec(
            name: name, aliases: [], kind: .string, placeholder: placeholder, help: help,
            defaultText: defaultText, group: group, availability: availability, store: set
        )
    }

    /// A string flag kept every time it is given.
    static func repeatable(
        _ name: String, _ group: FlagGroup, _ availability: FlagAvailability, placeholder: String,
        default defaultText: String?, help: String,
        set: @escaping @Sendable (inout ParsedArguments, FlagArgument) throws(CLIError) -> Void
    ) -> FlagSpec {
        FlagSpec(
            name: name, aliases: [], kind: .repeatableString, placeholder: placeholder, help: help,
            defaultText: defaultText, group: group, availability: availability, store: set
        )
    }
}
