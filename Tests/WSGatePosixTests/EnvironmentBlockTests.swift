import Testing
@testable import WSGatePosix

@Suite(.timeLimit(.minutes(10))) struct EnvironmentBlockTests {
    @Test func entriesAreNulTerminatedBackToBack() {
        var block = EnvironmentBlock(capacity: 64)
        block.add("A", "1")
        block.beginEntry("B".utf8)
        block.appendValue("x".utf8)
        block.appendValue(", y".utf8)
        block.endEntry()
        block.add("EMPTY", "")
        #expect(block.bytes == Array("A=1\0B=x, y\0EMPTY=\0".utf8))
        #expect(block.count == 3)
        #expect(block.entries == ["A=1", "B=x, y", "EMPTY="])
    }

    @Test func anEmptyBlockHasNoEntries() {
        let block: EnvironmentBlock = []
        #expect(block.entries.isEmpty)
        #expect(block.count == 0)
    }

    @Test func theCArrayPointsAtEachEntryAndEndsWithNull() {
        let block: EnvironmentBlock = ["A=1", "", "LONGER=value with spaces"]
        let array = CStringArray(block)
        #expect(String(cString: array.pointers[0]!) == "A=1")
        #expect(String(cString: array.pointers[1]!) == "")
        #expect(String(cString: array.pointers[2]!) == "LONGER=value with spaces")
        #expect(array.pointers[3] == nil)
    }
}
