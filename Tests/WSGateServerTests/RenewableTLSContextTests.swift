import Foundation
import Glibc
import Testing
import WSGateTLS
import WSGateTestSupport
@testable import WSGateServer

/// The renewable context on its own: when a change counts as settled, and what a failed
/// reload leaves in place.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct RenewableTLSContextTests {
    /// A folder with a copy of the server certificate and key.
    final class Folder {
        let path: String
        var certificate: String { path + "/cert.pem" }
        var key: String { path + "/key.pem" }

        init() throws {
            path = try TemporaryFiles.directory("tls-renewable")
            try copy(TLSFixtures.serverCertificate, to: certificate)
            try copy(TLSFixtures.serverKey, to: key)
        }

        deinit { TemporaryFiles.removeDirectory(path) }

        func copy(_ source: String, to target: String) throws {
            try TemporaryFiles.write(try String(contentsOfFile: source, encoding: .utf8), to: target + ".new")
            guard rename(target + ".new", target) == 0 else { throw TestFailure("rename: errno \(errno)") }
        }

        func context() throws -> RenewableTLSContext {
            try RenewableTLSContext(certificatePath: certificate, keyPath: key, clientCAPath: nil)
        }
    }

    @Test func aChangeCountsOnceItHoldsForOnePollAndNotAfterTheReload() throws {
        let folder = try Folder()
        let tls = try folder.context()
        #expect(!tls.filesChangedAndSettled())
        try folder.copy(TLSFixtures.renewedCertificate, to: folder.certificate)
        #expect(!tls.filesChangedAndSettled(), "the key may not be written yet")
        try folder.copy(TLSFixtures.renewedKey, to: folder.key)
        #expect(!tls.filesChangedAndSettled(), "the key changed since the last poll")
        #expect(tls.filesChangedAndSettled())
        try tls.reload()
        #expect(!tls.filesChangedAndSettled())
        #expect(!tls.filesChangedAndSettled())
    }

    /// A certificate caught half-written (cut in the middle of its PEM block) is refused.
    @Test func aHalfWrittenCertificateIsRefusedNamingIt() throws {
        let folder = try Folder()
        let tls = try folder.context()
        let full = try String(contentsOfFile: TLSFixtures.renewedCertificate, encoding: .utf8)
        try TemporaryFiles.write(String(full.prefix(full.count / 2)), to: folder.certificate)
        #expect {
            try tls.reload()
        } throws: { error in
            guard case .certificateFile(let path, _) = error as? TLSError else { return false }
            return path == folder.certificate
        }
        _ = try tls.makeEngine()
    }

    @Test func aFailedReloadThrowsNamingTheFileAndKeepsTheContext() throws {
        let folder = try Folder()
        let tls = try folder.context()
        try folder.copy(TLSFixtures.otherKey, to: folder.key)
        #expect {
            try tls.reload()
        } throws: { error in
            (error as? TLSError) == .keyMismatch(certificatePath: folder.certificate, keyPath: folder.key)
        }
        _ = try tls.makeEngine()
        // Seen: the same broken files are not reported again until they change.
        tls.markCurrentFilesSeen()
        #expect(!tls.filesChangedAndSettled())
        #expect(!tls.filesChangedAndSettled())
    }
}
