/// One way wsgate-testcmd can behave, as chosen by its first argument.
///
/// It exists so the dispatcher and `--help` read the same table: a mode cannot be runnable but
/// undocumented. A mode never returns: it ends the process with the status its usage promises.
struct Mode: Sendable {
    /// The first command-line argument that selects this mode.
    let name: String
    /// The arguments after the name, as shown by `--help` and in usage errors.
    let synopsis: String
    /// One line saying what the mode does.
    let summary: String
    /// Runs the mode with the arguments after its name.
    let run: @Sendable ([String]) -> Never

    /// The full usage line, `wsgate-testcmd NAME SYNOPSIS`.
    var usage: String {
        synopsis.isEmpty ? "wsgate-testcmd \(name)" : "wsgate-testcmd \(name) \(synopsis)"
    }

    /// The mode called `name`, if there is one.
    static func named(_ name: String) -> Mode? {
        all.first { $0.name == name }
    }
}
