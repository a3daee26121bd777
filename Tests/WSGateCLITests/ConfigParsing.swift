@testable import WSGateCLI
import WSGateConfig

/// A command line's outcome as a value the flag tests can compare: the config it runs with (nil
/// for --help, --version and the like) or the error that refuses it.
func parsedConfig(_ arguments: [String]) -> Result<GatewayConfig?, CLIError> {
    do {
        guard case .run(let config) = try CommandLineParser.parse(arguments, environment: .permissive) else {
            return .success(nil)
        }
        return .success(config)
    } catch {
        return .failure(error)
    }
}
