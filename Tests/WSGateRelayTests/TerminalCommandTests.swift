import Testing
import WSGateRelay

/// `--binary --pty`'s text messages: `resize COLUMNS ROWS`, and everything else ignored.
@Suite(.timeLimit(.minutes(10))) struct TerminalCommandTests {
    @Test(arguments: [("resize 80 24", 80, 24), ("resize 1 1", 1, 1), ("resize 9999 9999", 9999, 9999)])
    func resize(text: String, columns: Int, rows: Int) {
        #expect(TerminalCommand(Array(text.utf8)) == .resize(columns: UInt16(columns), rows: UInt16(rows)))
    }

    @Test(arguments: ["resize 0 24", "resize 80 0", "resize 10000 24", "resize 080 24", "resize 80", "resize 80 24 1",
                      "resize  80 24", "Resize 80 24", "resize -1 24", "resize 8a 24", "", "ls -l\n"])
    func anythingElseIsNoCommand(text: String) {
        #expect(TerminalCommand(Array(text.utf8)) == nil)
    }
}
