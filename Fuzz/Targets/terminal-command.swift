import WSGateRelay

/// `--binary --pty`'s text commands: any bytes are a resize within 1…9999 or nothing, and a
/// resize written back the way clients write it reads as itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTerminalCommand(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzCheck.input(data, size)
    guard case .resize(let columns, let rows)? = TerminalCommand(input) else { return 0 }
    FuzzCheck.require((1...9999).contains(columns) && (1...9999).contains(rows), "resize \(columns) \(rows)")
    let written = Array("resize \(columns) \(rows)".utf8)
    FuzzCheck.require(written == input, "\(input) is not how resize \(columns) \(rows) is written")
    return 0
}
