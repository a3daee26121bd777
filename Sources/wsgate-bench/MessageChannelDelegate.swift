/// What a `MessageChannel` reports to its workload.
///
/// Why it exists: the channel knows the protocol, the workload knows what it sent; this is
/// the narrow interface between them (payload bytes in order, open, and exactly one close).
protocol MessageChannelDelegate: AnyObject {
    func channelDidOpen(_ channel: any MessageChannel)
    /// The next echoed payload bytes, in order (message boundaries are not preserved: a
    /// byte-mode backend may split or join messages).
    func channel(_ channel: any MessageChannel, didReceive bytes: UnsafeRawBufferPointer)
    /// The connection is gone: `failure` is nil after a clean close we asked for.
    func channelDidClose(_ channel: any MessageChannel, failure: String?)
}
