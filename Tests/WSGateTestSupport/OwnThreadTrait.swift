import Foundation
public import Testing

/// Runs each test of a suite on a thread of its own instead of on Swift concurrency's
/// cooperative pool.
///
/// Why it exists: the integration tests are synchronous and spend most of their time waiting
/// for a process or a socket (a close timer, a kill sequence). The cooperative pool has one
/// thread per core, so on a two-core machine two such waits held every other test back. On
/// threads of their own, `OwnThreadTrait.width` of them run at once (more would load the
/// machine enough to change what timing-bound tests see); `.serialized` suites stay serialized.
public struct OwnThreadTrait: SuiteTrait, TestTrait, TestScoping {
    /// How many of these tests run at once: twice the cores, at least 4.
    public static let width = max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)
    private static let slots = TestSlots(Self.width)

    public var isRecursive: Bool { true }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        // A suite's scope wraps its tests, which take their own slots.
        guard testCase != nil else { return try await function() }
        await Self.slots.take()
        defer { Task { await Self.slots.give() } }
        try await withTaskExecutorPreference(ThreadPerJobExecutor.shared) {
            try await function()
        }
    }
}

/// A counting semaphore for tasks: `take` waits while every slot is in use.
actor TestSlots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { free = count }

    func take() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func give() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

extension Trait where Self == OwnThreadTrait {
    /// Each test of the suite on a thread of its own (see `OwnThreadTrait`).
    public static var onItsOwnThread: Self { OwnThreadTrait() }
}

/// A task executor that runs every job on a new thread: a synchronous test body is one job,
/// so its blocking waits hold only that thread.
final class ThreadPerJobExecutor: TaskExecutor {
    static let shared = ThreadPerJobExecutor()

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        Thread { job.runSynchronously(on: executor) }.start()
    }
}
