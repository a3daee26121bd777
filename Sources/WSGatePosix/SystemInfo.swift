import CWSGateLinux
import Glibc

/// Facts about this process and machine that the gateway reports or sizes itself by.
public enum SystemInfo {
    /// Cores this process may run on (for one event loop per core).
    public static var activeProcessorCount: Int {
        Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// This machine's host name, as websocketd logs it for a wildcard listener.
    public static var hostName: String {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "localhost" }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The process environment as a dictionary.
    public static var environment: [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }

    /// This process's id.
    public static var processID: Int32 { getpid() }
}

/// Ends the process with `status` (stdout is unbuffered here: every write was a write(2)).
public func exitProcess(_ status: Int32) -> Never {
    exit(status)
}

/// How the C allocator treats the gateway's buffers.
public enum AllocatorTuning {
    /// Keeps freed buffer memory for reuse instead of returning it to the kernel at once.
    ///
    /// Why: relaying streams allocates and frees 64–256 KiB buffers all the time. glibc hands
    /// blocks of 128 KiB and more to `mmap` and trims the heap as soon as 128 KiB are free at
    /// its top, so each such buffer costs page faults and zero-filling of fresh pages (several
    /// percent of a streaming gateway's CPU). With these limits, up to 64 MiB of freed memory
    /// stays mapped for the next buffer; the gateway's own bounds on buffered data are unchanged.
    public static func keepFreedMemory() {
        CWSGateLinux_keep_freed_memory(4 << 20, 64 << 20)
    }
}
