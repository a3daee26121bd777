import Glibc
import Testing
import WSGatePosix

/// Files opened beneath a served directory: what the kernel lets through (with openat2, and
/// with the fallback that follows no link at all) and what it refuses.
@Suite(.timeLimit(.minutes(10))) struct ServedDirectoryTests {
    final class Tree {
        let root: String
        init() {
            root = "/tmp/wsgate-served-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            mkdir(root, 0o755)
            mkdir(root + "/sub", 0o755)
            let fd = open(root + "/sub/file", O_CREAT | O_WRONLY, 0o644)
            _ = write(fd, "12345", 5)
            close(fd)
            mkfifo(root + "/fifo", 0o644)
            symlink("sub/file", root + "/inside")
            symlink("/etc/passwd", root + "/outside")
            symlink("../..", root + "/sub/up")
        }
        deinit {
            for name in ["/sub/up", "/outside", "/inside", "/fifo", "/sub/file"] { unlink(root + name) }
            rmdir(root + "/sub")
            rmdir(root)
        }
    }

    private func outcome(_ entry: ServedDirectory.Entry) -> String {
        switch entry {
        case .found(let file, let info):
            file.close()
            return info.kind == .directory ? "directory" : "file \(info.size)"
        case .missing: return "missing"
        case .refused(let reason): return "refused: \(reason)"
        case .failed(let error): return "failed: \(error)"
        }
    }

    @Test(arguments: [true, false])
    func regularFilesAndDirectoriesOpenAndTheRestIsRefused(useOpenat2: Bool) throws {
        let tree = Tree()
        let served = try ServedDirectory(path: tree.root, useOpenat2: useOpenat2)
        #expect(outcome(served.open(Array("sub/file".utf8))) == "file 5")
        #expect(outcome(served.open([])) == "directory")
        #expect(outcome(served.open(Array("sub".utf8))) == "directory")
        #expect(outcome(served.open(Array("nothing".utf8))) == "missing")
        #expect(outcome(served.open(Array("sub/file/x".utf8))) == "missing")
        #expect(outcome(served.open(Array("fifo".utf8))) == "refused: not a regular file")
        #expect(outcome(served.open(Array("outside".utf8))) == "refused: leads outside the directory")
        #expect(outcome(served.open(Array("sub/up/etc/passwd".utf8))) == "refused: leads outside the directory")
        #expect(outcome(served.open(Array("../etc/passwd".utf8))) == "refused: leads outside the directory")
        #expect(outcome(served.open(Array("sub\0x".utf8))) == "missing")
        // A link that stays inside: the kernel follows it; the fallback follows none.
        #expect(outcome(served.open(Array("inside".utf8))) == (useOpenat2 ? "file 5" : "refused: leads outside the directory"))
    }

    @Test func aDirectoryListsItsEntriesWithTheirKind() throws {
        let tree = Tree()
        let served = try ServedDirectory(path: tree.root)
        guard case .found(let directory, _) = served.open([]) else {
            Issue.record("the root did not open")
            return
        }
        defer { directory.close() }
        let entries = try served.entries(of: directory, limit: 100)
        let names = Dictionary(uniqueKeysWithValues: entries.map { (String(decoding: $0.name, as: UTF8.self), $0.isDirectory) })
        #expect(names == ["sub": true, "fifo": false, "inside": false, "outside": false])
        #expect(try served.entries(of: directory, limit: 2).count == 2)
    }
}
