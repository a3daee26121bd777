import Glibc

/// The process's descriptor limit.
///
/// Why it exists: the idle scenario holds thousands of sockets, more than the usual soft limit
/// of 1024; the hard limit is what the machine allows, so the tool raises the soft one to it.
enum FileLimit {
    /// Raises the soft RLIMIT_NOFILE to the hard limit; returns the soft limit now in force.
    static func raiseToHardLimit() -> Int {
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        guard getrlimit(resource, &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        return Int(clamping: limit.rlim_cur)
    }
}
