/// Reading the dump of `wsgate-testcmd env`: one `NAME=value` message per variable.
extension Transcript {
    /// The variables the program printed, as NAME → value. A line without "=" or a name
    /// printed twice throws: a program's environment has each name once.
    public func environment() throws -> [String: String] {
        var variables: [String: String] = [:]
        for line in texts {
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, variables[String(parts[0])] == nil else {
                throw TestFailure("bad or repeated line in the environment dump: \(line.debugDescription)")
            }
            variables[String(parts[0])] = String(parts[1])
        }
        return variables
    }
}
