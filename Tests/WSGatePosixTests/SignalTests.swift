import Glibc
import Testing
import WSGatePosix

@Suite(.timeLimit(.minutes(10))) struct SignalTests {
    @Test func namedSignalsCarryTheKernelNumbers() {
        #expect(Signal.interrupt.rawValue == SIGINT)
        #expect(Signal.terminate.rawValue == SIGTERM)
        #expect(Signal.child.rawValue == SIGCHLD)
        #expect(Signal.hangup.rawValue == SIGHUP)
        #expect(Signal.kill.rawValue == SIGKILL)
    }

    @Test func namedSignalsPrintTheirCNames() {
        #expect(Signal.interrupt.description == "SIGINT")
        #expect(Signal.terminate.description == "SIGTERM")
        #expect(Signal.child.description == "SIGCHLD")
        #expect(Signal.hangup.description == "SIGHUP")
        #expect(Signal.kill.description == "SIGKILL")
    }

    @Test func otherSignalsPrintTheirNumber() {
        #expect(Signal(rawValue: SIGUSR1).description == "signal \(SIGUSR1)")
        #expect(Signal(rawValue: 64).description == "signal 64")
    }

    @Test func signalsCompareByNumber() {
        #expect(Signal(rawValue: SIGTERM) == .terminate)
        #expect(Signal.terminate != .interrupt)
        #expect(Set([Signal.child, Signal(rawValue: SIGCHLD), .hangup]).count == 2)
    }
}
