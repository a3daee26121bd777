import WSGatePasswords

/// The htpasswd file parser: the same answer with CRLF line ends, bad lines named in order and
/// within the file, a leading comment moving every bad line down by one, no user without a
/// decoy, never more users than lines.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHtpasswd(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzCheck.input(data, size)
    let limits = HtpasswdLimits(maxBytes: 1 << 20, maxLines: 256)
    let outcome = parse(input, limits)
    let lineCount = input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count

    switch outcome {
    case .success(let file):
        FuzzCheck.require(file.count <= lineCount, "\(file.count) users in \(lineCount) lines")
        FuzzCheck.require((file.decoy == nil) == (file.count == 0), "users: \(file.count), decoy: \(String(describing: file.decoy))")
    case .failure(.badLines(let problems)):
        FuzzCheck.require(!problems.isEmpty, "refused without a bad line")
        FuzzCheck.require(zip(problems, problems.dropFirst()).allSatisfy { $0.line < $1.line }, "lines out of order: \(problems)")
        FuzzCheck.require(problems.allSatisfy { (1...lineCount).contains($0.line) }, "a line outside the file: \(problems)")
    case .failure(.tooManyLines):
        FuzzCheck.require(lineCount > limits.maxLines, "too many lines, yet \(lineCount)")
    case .failure(.tooLarge):
        FuzzCheck.require(false, "too large at \(input.count) bytes")
    }

    // CRLF line ends change nothing (a CR before an LF is trimmed with the spaces).
    let crlf = input.flatMap { $0 == UInt8(ascii: "\n") ? [0x0D, 0x0A] : [$0] }
    FuzzCheck.require(summary(parse(crlf, limits)) == summary(outcome), "\(summary(outcome)), with CRLF \(summary(parse(crlf, limits)))")

    // A comment line first moves every bad line down by one.
    if lineCount < limits.maxLines, case .failure(.badLines(let problems)) = outcome {
        let shifted = parse(Array("# comment\n".utf8) + input, limits)
        let expected = HtpasswdError.badLines(problems.map { HtpasswdLineProblem(line: $0.line + 1, reason: $0.reason) })
        FuzzCheck.require(shifted.failure == expected, "after a comment: \(summary(shifted))")
    }
    return 0
}

private func parse(_ bytes: [UInt8], _ limits: HtpasswdLimits) -> Result<HtpasswdFile, HtpasswdError> {
    Result { () throws(HtpasswdError) in try HtpasswdFile(parsing: bytes, limits: limits) }
}

/// What to compare between two parses: the users' count and decoy, or the error.
private func summary(_ outcome: Result<HtpasswdFile, HtpasswdError>) -> String {
    switch outcome {
    case .success(let file): "\(file.count) users, decoy \(String(describing: file.decoy))"
    case .failure(let error): "\(error)"
    }
}

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
