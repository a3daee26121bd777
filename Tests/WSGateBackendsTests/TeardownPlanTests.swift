import Testing
import WSGateBackends

@Suite(.timeLimit(.minutes(10))) struct TeardownPlanTests {
    // Linux numbers, passed in as the I/O layer will.
    static let sigint: Int32 = 2, sigterm: Int32 = 15, sigkill: Int32 = 9

    func plan(_ closeMs: Int) -> TeardownPlan {
        .websocketd(closeMs: closeMs, interrupt: Self.sigint, terminate: Self.sigterm, kill: Self.sigkill)
    }

    @Test func websocketdDefaults() {
        #expect(plan(0).steps == [
            .init(afterMilliseconds: 0, action: .closeStdin),
            .init(afterMilliseconds: 100, action: .signal(2)),
            .init(afterMilliseconds: 250, action: .signal(15)),
            .init(afterMilliseconds: 500, action: .signal(9)),
        ])
        // Observed: SIGINT +100 ms, SIGTERM +350 ms, SIGKILL +850 ms after stdin EOF.
        #expect(plan(0).offsetsMilliseconds == [0, 100, 350, 850])
    }

    @Test func closeMsStretchesEveryWait() {
        #expect(plan(1000).steps.map(\.afterMilliseconds) == [0, 1100, 1250, 1500])
        // Observed with --closems=1000: SIGINT +1.1 s, SIGTERM +2.35 s.
        #expect(plan(1000).offsetsMilliseconds == [0, 1100, 2350, 3850])
    }

    @Test func waitsNeverGoNegativeOrOverflow() {
        #expect(plan(-200).steps.map(\.afterMilliseconds) == [0, 0, 50, 300])
        #expect(plan(Int.min).steps.map(\.afterMilliseconds) == [0, 0, 0, 0])
        #expect(plan(Int.max).steps.map(\.afterMilliseconds) == [0, Int.max, Int.max, Int.max])
        #expect(plan(Int.max).offsetsMilliseconds == [0, Int.max, Int.max, Int.max])
    }

    @Test func signalsArePassedThrough() {
        let custom = TeardownPlan.websocketd(closeMs: 0, interrupt: 30, terminate: 31, kill: 32)
        #expect(custom.steps.map(\.action) == [.closeStdin, .signal(30), .signal(31), .signal(32)])
    }

    @Test func giveUpWaitIsWebsocketds() {
        #expect(TeardownPlan.giveUpWaitMilliseconds == 1000)
    }
}
