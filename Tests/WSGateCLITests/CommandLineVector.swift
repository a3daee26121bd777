import Testing
@testable import WSGateCLI
import WSGateConfig

/// One argument vector and what parsing it must give.
struct CommandLineVector: Sendable, CustomTestStringConvertible {
    enum Expected: Sendable {
        /// `.run` with wsgate's default configuration changed by this closure.
        case run(@Sendable (inout GatewayConfig) -> Void)
        case failure(Int32, String)
        case help
        case version
        case license
    }

    let arguments: [String]
    let expected: Expected
    let environment: CommandLineEnvironment

    init(_ arguments: [String], _ expected: Expected, environment: CommandLineEnvironment = .permissive) {
        self.arguments = arguments
        self.expected = expected
        self.environment = environment
    }

    var testDescription: String {
        arguments.isEmpty ? "(no arguments)" : arguments.map(GoQuoting.quote).joined(separator: " ")
    }

    /// Nothing exists: no executable, no directory.
    static let barrenSystem = CommandLineEnvironment(
        lookUpExecutable: { _ in .notFound }, isDirectory: { _ in false }, processEnvironment: [:]
    )

    /// Parses and checks against `expected`.
    func check(enforcingAvailability: Bool) {
        let outcome: CommandLineOutcome
        do {
            outcome = try CommandLineParser.parse(
                arguments, environment: environment, enforcingAvailability: enforcingAvailability
            )
        } catch {
            guard case .failure(let status, let message) = expected else {
                Issue.record("unexpected failure: \(error.exitStatus) \(error.message)")
                return
            }
            #expect(error.exitStatus == status)
            #expect(error.message == message)
            return
        }
        switch expected {
        case .run(let change):
            var config = GatewayConfig()
            change(&config)
            #expect(outcome == .run(config))
        case .failure(let status, let message):
            Issue.record("expected failure \(status) '\(message)', got \(outcome)")
        case .help:
            #expect(outcome == .help(HelpText.text))
        case .version:
            #expect(outcome == .version("wsgate 0.1.0 (Swift, linux)"))
        case .license:
            #expect(outcome == .license(License.printout))
        }
    }
}
