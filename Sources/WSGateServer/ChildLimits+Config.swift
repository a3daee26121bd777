import WSGateConfig
import WSGatePosix

extension ChildLimits {
    /// `--rlimit`, `--user`, `--group` and `--allow-root` resolved at start: the names looked up,
    /// and refused (with one line) when the user or group does not exist, when `--user` is root
    /// without `--allow-root`, or when this process cannot change identity.
    ///
    /// Without `--user` programs run as the gateway does, also as root: websocketd command
    /// lines (often run as root in containers) keep working; the Debian package's unit already
    /// runs wsgate as its own unprivileged user.
    static func make(config: GatewayConfig) throws(StartupRefusal) -> ChildLimits {
        var limits = ChildLimits()
        for limit in config.resourceLimits {
            guard let resource = ResourceLimit(named: limit.resource.rawValue, value: limit.value) else { continue }
            limits.resources.append(resource)
        }
        guard config.runUser != nil || config.runGroup != nil else { return limits }
        var account: UserAccount?
        if let name = config.runUser {
            guard let user = UserAccount.user(name) else { throw StartupRefusal("--user: there is no user '\(name)'") }
            if user.uid == 0 && !config.allowRoot {
                throw StartupRefusal("--user=\(name) is root: programs would run as root; add --allow-root if that is meant")
            }
            account = user
        }
        var gid = account?.gid ?? UserAccount.effective.gid
        if let name = config.runGroup {
            guard let group = UserAccount.groupID(name) else { throw StartupRefusal("--group: there is no group '\(name)'") }
            gid = group
        }
        let identity = Identity(uid: account?.uid ?? UserAccount.effective.uid, gid: gid,
                                groups: account?.groups(primary: gid) ?? [gid])
        guard UserAccount.canChangeIdentity else {
            throw StartupRefusal("--user and --group need root, or CAP_SETUID and CAP_SETGID (under systemd: a drop-in with "
                                 + "CapabilityBoundingSet= and AmbientCapabilities= both CAP_SETUID CAP_SETGID)")
        }
        limits.identity = identity
        return limits
    }
}
