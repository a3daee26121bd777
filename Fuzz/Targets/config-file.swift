import WSGateCLI

/// The `--config` file parser: any text gives a result or an error naming a line of the file,
/// every setting becomes a `--name=value` word, and CRLF line ends read exactly as LF ones.
func parseConfig(_ text: String) -> Result<ConfigFile, CLIError> {
    Result { () throws(CLIError) in try ConfigFile(parsing: text, path: "fuzz.conf") }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfigFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzCheck.input(data, size)
    let text = String(decoding: input, as: UTF8.self)
    let lineCount = text.utf8.filter { $0 == 0x0A }.count + 1
    let result = parseConfig(text)
    if case .success(let file) = result {
        var lastLine = 0
        for setting in file.settings {
            let word = setting.argument.utf8
            FuzzCheck.require(word.starts(with: "--".utf8) && word.contains(UInt8(ascii: "=")), "setting \(setting.argument)")
            FuzzCheck.require(setting.line > lastLine && setting.line <= lineCount, "line \(setting.line) of \(lineCount)")
            lastLine = setting.line
        }
    }
    if !text.utf8.contains(0x0D) {
        let crlf = String(decoding: Array(text.utf8).flatMap { $0 == 0x0A ? [0x0D, 0x0A] : [$0] }, as: UTF8.self)
        let again = parseConfig(crlf)
        FuzzCheck.require(again == result, "LF: \(result), CRLF: \(again)")
    }
    return 0
}
