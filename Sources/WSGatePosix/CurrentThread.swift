import CWSGateLinux
import Glibc

/// The calling thread's identity, so an event loop can check it runs on its own thread.
public enum CurrentThread {
    public static var id: UInt { UInt(pthread_self()) }
}
