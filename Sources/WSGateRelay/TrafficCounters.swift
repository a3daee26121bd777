public import WSGateCore

/// Where a session counts the WebSocket messages it relays: four consecutive counters of a
/// loop's `CounterBlock` (messages in, payload bytes in, messages out, payload bytes out).
///
/// Why it exists: the session sits below the server layer that lays out the metrics, and
/// counting happens once per message on the hot path; a value type holding the block and an
/// index costs two relaxed stores per message and never allocates. Only data messages count
/// (text and binary, whole or in parts), not pings, pongs or closes.
///
/// - Warning: use only on the loop that owns the block (see `CounterBlock`).
public struct TrafficCounters: Sendable {
    @usableFromInline let block: CounterBlock
    @usableFromInline let first: Int

    /// Slots `firstSlot` ..< `firstSlot + TrafficCounters.slotCount` of `block`.
    public init(block: CounterBlock, firstSlot: Int) {
        precondition(firstSlot >= 0 && firstSlot + Self.slotCount <= block.count, "traffic slots outside the block")
        self.block = block
        first = firstSlot
    }

    /// Slots used, in this order: messages in, bytes in, messages out, bytes out.
    public static let slotCount = 4

    /// A message from the client with `bytes` of payload.
    @inlinable
    public func received(bytes: Int) {
        block.add(1, at: first)
        block.add(bytes, at: first + 1)
    }

    /// More payload of a message from the client relayed in parts (counted once, with
    /// `received(bytes: 0)`, at its start).
    @inlinable
    public func receivedPart(bytes: Int) {
        block.add(bytes, at: first + 1)
    }

    /// A message to the client with `bytes` of payload.
    @inlinable
    public func sent(bytes: Int) {
        block.add(1, at: first + 2)
        block.add(bytes, at: first + 3)
    }

    /// `messages` messages to the client with `bytes` of payload in all (a room's batch).
    @inlinable
    public func sent(messages: Int, bytes: Int) {
        block.add(messages, at: first + 2)
        block.add(bytes, at: first + 3)
    }
}
