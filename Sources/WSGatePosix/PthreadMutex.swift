import CWSGateLinux
import Glibc

/// Makes and frees the heap-allocated pthread mutexes of `LockedValue` and `LockedCondition`.
///
/// Why it exists: a pthread mutex must not move once initialized, so it lives on the heap, and
/// both locks make and free it the same way.
enum PthreadMutex {
    static func make() -> UnsafeMutablePointer<pthread_mutex_t> {
        let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        return mutex
    }

    static func free(_ mutex: UnsafeMutablePointer<pthread_mutex_t>) {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }
}
