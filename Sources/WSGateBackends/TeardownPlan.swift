/// websocketd's sequence for ending a program, as data: close its stdin, then SIGINT, SIGTERM
/// and SIGKILL, each after a wait (docs/behaviour.md, 'Kill sequence').
///
/// Why it exists: the timings are part of the drop-in contract (programs rely on getting
/// ~100 ms to finish after stdin closes, and `--closems` stretches every wait), and keeping
/// them as a plain list lets the I/O layer run it on its timers and lets tests check the
/// arithmetic without processes or clocks.
///
/// It does not decide WHEN a step is skipped: the runner stops as soon as the program is gone.
/// Signal numbers are passed in because this layer imports no libc.
public struct TeardownPlan: Equatable, Sendable {
    /// One action and how long to wait before it.
    public struct Step: Equatable, Sendable {
        /// Milliseconds to wait after the previous step (0 for the first).
        public let afterMilliseconds: Int
        /// What to do when the wait is over.
        public let action: Action

        public init(afterMilliseconds: Int, action: Action) {
            self.afterMilliseconds = afterMilliseconds
            self.action = action
        }
    }

    /// What one step does.
    public enum Action: Equatable, Sendable {
        /// Close the program's stdin (many programs end on EOF).
        case closeStdin
        /// Send this signal (to the program's whole process group, so grandchildren get it
        /// too; websocketd signals only its child).
        case signal(Int32)
    }

    /// websocketd's wait after stdin is closed, before SIGINT.
    public static let interruptWaitMilliseconds = 100
    /// websocketd's wait after SIGINT, before SIGTERM.
    public static let terminateWaitMilliseconds = 250
    /// websocketd's wait after SIGTERM, before SIGKILL.
    public static let killWaitMilliseconds = 500
    /// websocketd's wait after SIGKILL before it logs "SIGKILL did not terminate" (not a step:
    /// nothing stronger can be sent; `--closems` does not stretch it).
    public static let giveUpWaitMilliseconds = 1000

    /// The steps, in order.
    public let steps: [Step]

    public init(steps: [Step]) {
        self.steps = steps
    }

    /// close stdin at 0; the interrupt signal after 100 + closeMs; the terminate signal after
    /// 250 + closeMs more; the kill signal after 500 + closeMs more. A negative `closeMs` never
    /// makes a wait negative (it is clamped at 0, as a Go timer with a negative duration
    /// fires at once).
    public static func websocketd(closeMs: Int, interrupt: Int32, terminate: Int32, kill: Int32) -> TeardownPlan {
        func wait(_ base: Int) -> Int {
            let (sum, overflow) = base.addingReportingOverflow(closeMs)
            return overflow ? (closeMs > 0 ? Int.max : 0) : max(0, sum)
        }
        return TeardownPlan(steps: [
            Step(afterMilliseconds: 0, action: .closeStdin),
            Step(afterMilliseconds: wait(interruptWaitMilliseconds), action: .signal(interrupt)),
            Step(afterMilliseconds: wait(terminateWaitMilliseconds), action: .signal(terminate)),
            Step(afterMilliseconds: wait(killWaitMilliseconds), action: .signal(kill)),
        ])
    }

    /// Milliseconds from the start of the teardown to each step (running sums of the waits,
    /// saturating at `Int.max`).
    public var offsetsMilliseconds: [Int] {
        var total = 0
        return steps.map { step in
            let (sum, overflow) = total.addingReportingOverflow(step.afterMilliseconds)
            total = overflow ? Int.max : sum
            return total
        }
    }
}
