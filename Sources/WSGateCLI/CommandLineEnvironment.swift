/// The probes of the running system the command line needs, injected.
///
/// Why it exists: validating a websocketd command line touches the system (COMMAND is looked up
/// in `$PATH`, directories must exist, `--passenv` values are read at start), but the parser is
/// pure code: `main` passes real probes, tests pass fakes. It must hold no state of its own.
public struct CommandLineEnvironment: Sendable {
    /// COMMAND → the path to run, or why it cannot be run (see `ExecutableLookup`).
    public var lookUpExecutable: @Sendable (String) -> ExecutableLookup.Outcome
    /// Whether the path names an existing directory (symbolic links followed).
    public var isDirectory: @Sendable (String) -> Bool
    /// wsgate's own environment, read for `--passenv`.
    public var processEnvironment: [String: String]
    /// Reads a whole text file (`--config`), or says why it cannot.
    public var readFile: @Sendable (String) -> Result<String, FileReadProblem>

    /// Why a file could not be read (the system's wording).
    public struct FileReadProblem: Error, Sendable {
        public var reason: String
        public init(reason: String) { self.reason = reason }
    }

    public init(
        lookUpExecutable: @escaping @Sendable (String) -> ExecutableLookup.Outcome,
        isDirectory: @escaping @Sendable (String) -> Bool,
        processEnvironment: [String: String],
        readFile: @escaping @Sendable (String) -> Result<String, FileReadProblem> = { _ in
            .failure(FileReadProblem(reason: "no file system"))
        }
    ) {
        self.lookUpExecutable = lookUpExecutable
        self.isDirectory = isDirectory
        self.processEnvironment = processEnvironment
        self.readFile = readFile
    }

    /// Probes built from two file tests: COMMAND is resolved with `ExecutableLookup` against
    /// `processEnvironment["PATH"]`. `fileKind` must answer `.executable` only for a regular
    /// file this process may execute (Go's `exec.LookPath` test).
    public init(
        processEnvironment: [String: String],
        fileKind: @escaping @Sendable (String) -> ExecutableLookup.FileKind,
        isDirectory: @escaping @Sendable (String) -> Bool,
        readFile: @escaping @Sendable (String) -> Result<String, FileReadProblem>
    ) {
        let searchPath = processEnvironment["PATH"] ?? ""
        self.init(
            lookUpExecutable: { name in
                ExecutableLookup.resolve(name, searchPath: searchPath, kindOf: fileKind)
            },
            isDirectory: isDirectory,
            processEnvironment: processEnvironment,
            readFile: readFile
        )
    }

    /// For tests: every directory exists, a name with `/` runs as given, a bare name is found
    /// in `/usr/bin`, the environment is empty and every file is empty.
    public static let permissive = CommandLineEnvironment(
        lookUpExecutable: { name in .found(name.contains("/") ? name : "/usr/bin/" + name) },
        isDirectory: { _ in true },
        processEnvironment: [:],
        readFile: { _ in .success("") }
    )
}
