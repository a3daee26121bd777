// A program start with vfork semantics: no stack mapped, no limits read, no memory copied.
//
// Why it exists: glibc's posix_spawn maps and unmaps a fresh stack for every child (the unmap
// makes the other loop thread's CPU flush its TLB) and asks getrlimit six times while its file
// actions are built. Per connection that was a tenth of the gateway's CPU. vfork lends the child
// this thread's stack while the thread waits, so what is left is the kernel's work.
//
// The child shares our memory until execve, so it calls only async-signal-safe functions,
// writes to no variable of ours but its error report, and never returns.
#include "CWSGateLinux.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <unistd.h>

// How a child that cannot exec tells us why. Under vfork it shares our memory and we wait until
// it has exec'd or exited, so it writes its errno into our frame. ThreadSanitizer turns vfork
// into fork, so there the report goes through a close-on-exec pipe, which reads as empty once
// exec succeeded (three more system calls and a pipe per start).
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define REPORT_THROUGH_PIPE 1
#endif
#endif
#ifndef REPORT_THROUGH_PIPE
#define REPORT_THROUGH_PIPE 0
#endif

/// close_range(first, ~0) with a loop to the descriptor limit where the kernel lacks it (< 5.9).
/// The kernel's `struct sigaction` (x86-64 and arm64 share its layout). The raw system call
/// reaches the two real-time signals glibc keeps for itself (32 and 33), which its wrapper
/// refuses: a parent may have left them ignored too.
struct kernel_sigaction {
    void (*handler)(int);
    unsigned long flags;
    void (*restorer)(void);
    uint64_t mask;
};

static int kernel_sigaction(int signal, const struct kernel_sigaction *action, struct kernel_sigaction *previous) {
    return (int) syscall(SYS_rt_sigaction, signal, action, previous, sizeof(uint64_t));
}

uint64_t CWSGateLinux_ignored_signals(void) {
    uint64_t ignored = 0;
    for (int signal = 1; signal <= 64; signal++) {
        struct kernel_sigaction action;
        if (kernel_sigaction(signal, NULL, &action) == 0 && action.handler == SIG_IGN) ignored |= 1ULL << (signal - 1);
    }
    return ignored;
}

/// close_range(first, last), with a loop where the kernel lacks it (< 5.9).
static void close_between(unsigned first, unsigned last) {
    if (first > last || syscall(SYS_close_range, first, last, 0) == 0) return;
    struct rlimit limit;
    unsigned end = (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < 65536) ? (unsigned) limit.rlim_cur : 65536;
    for (unsigned fd = first; fd <= last && fd < end; fd++) close((int) fd);
}

/// The limits, then the identity, in the child. Raw system calls only: glibc's setuid and
/// setgroups wrappers signal every thread of the process to change theirs too, and under vfork
/// that thread list is the gateway's. The limits come first, while the child may still raise
/// a hard limit; the groups and the group before the user, who could not change them after.
static int apply_limits(const CWSGateLinux_spawn_options *options) {
    for (int index = 0; index < options->rlimit_count; index++) {
        const struct rlimit value = { .rlim_cur = options->rlimit_values[index], .rlim_max = options->rlimit_values[index] };
        if (syscall(SYS_prlimit64, 0, options->rlimit_resources[index], &value, NULL) != 0) return -1;
    }
    if (!options->change_identity) return 0;
    if (syscall(SYS_setgroups, options->group_count, options->groups) != 0) return -1;
    if (syscall(SYS_setresgid, options->gid, options->gid, options->gid) != 0) return -1;
    if (syscall(SYS_setresuid, options->uid, options->uid, options->uid) != 0) return -1;
    return 0;
}

static __attribute__((noreturn)) void run_child(const char *path, char *const argv[], char *const envp[],
                                                const char *directory, const int fds[3], uint64_t default_signals,
                                                const CWSGateLinux_spawn_options *options,
                                                int report, volatile int *shared_error) {
    const struct kernel_sigaction default_action = { .handler = SIG_DFL };
    for (int signal = 1; signal <= 64; signal++) {
        if (default_signals & (1ULL << (signal - 1))) kernel_sigaction(signal, &default_action, NULL);
    }
    // A terminal's program leads its own session, so the terminal can be its controlling one
    // (its process group is then its pid as well, as the kill sequence expects).
    if (options != NULL && options->controlling_terminal) {
        if (setsid() < 0) goto fail;
    } else if (setpgid(0, 0) != 0) {
        goto fail;
    }
    // A stream still on 0–2 (wsgate started with them closed) moves up first, so no dup2 below
    // overwrites another stream's pipe end. dup2 clears close-on-exec on the copy.
    int moved[3];
    for (int stream = 0; stream < 3; stream++) {
        moved[stream] = fds[stream] < 3 ? fcntl(fds[stream], F_DUPFD_CLOEXEC, 3) : fds[stream];
        if (moved[stream] < 0) goto fail;
    }
    for (int stream = 0; stream < 3; stream++) {
        if (dup2(moved[stream], stream) < 0) goto fail;
    }
    if (options != NULL && options->controlling_terminal && ioctl(0, TIOCSCTTY, 0) != 0) goto fail;
    // Everything else goes, but the report pipe if there is one (close-on-exec: exec closes it).
    if (report >= 0) {
        close_between(3, (unsigned) report - 1);
        close_between((unsigned) report + 1, ~0U);
    } else {
        close_between(3, ~0U);
    }
    // After the closing (whose fallback loop reads RLIMIT_NOFILE); the directory as the new user.
    if (options != NULL && apply_limits(options) != 0) goto fail;
    if (directory != NULL && chdir(directory) != 0) goto fail;
    const uint64_t none = 0;
    // The raw system call: glibc's wrapper leaves its own two signals as they were.
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, sizeof(uint64_t));
    execve(path, argv, envp);
fail:;
    int error = errno;
    if (report >= 0) {
        ssize_t ignored = write(report, &error, sizeof error);
        (void) ignored;
    } else {
        *shared_error = error != 0 ? error : EIO;
    }
    _exit(127);
}

/// A close-on-exec pipe whose write end is 3 or above (so no dup2 onto 0–2 in the child can
/// replace it); 0 or an errno.
static int report_pipe(int ends[2]) {
    if (pipe2(ends, O_CLOEXEC) != 0) return errno;
    if (ends[1] < 3) {
        int moved = fcntl(ends[1], F_DUPFD_CLOEXEC, 3);
        int error = errno;
        close(ends[1]);
        if (moved < 0) {
            close(ends[0]);
            return error;
        }
        ends[1] = moved;
    }
    return 0;
}

int CWSGateLinux_spawn(const char *path, char *const argv[], char *const envp[], const char *directory,
                       const int fds[3], uint64_t default_signals, const CWSGateLinux_spawn_options *options,
                       pid_t *pid_out) {
    int report[2] = { -1, -1 };
    volatile int shared_error = 0;
    if (REPORT_THROUGH_PIPE) {
        int result = report_pipe(report);
        if (result != 0) return result;
    }
    // Every signal blocked while the child borrows this thread's stack: no handler may run on it.
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    pid_t pid = vfork();
    if (pid == 0) run_child(path, argv, envp, directory, fds, default_signals, options, report[1], &shared_error);
    int vfork_error = errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    if (report[1] >= 0) close(report[1]);
    if (pid < 0) {
        if (report[0] >= 0) close(report[0]);
        return vfork_error;
    }
    int child_error = shared_error;
    if (report[0] >= 0) {
        ssize_t got;
        while ((got = read(report[0], &child_error, sizeof child_error)) < 0 && errno == EINTR) {}
        close(report[0]);
        if (got == (ssize_t) sizeof child_error && child_error == 0) child_error = EIO;
        if (got != (ssize_t) sizeof child_error) child_error = 0;
    }
    if (child_error != 0) {
        // The child exited 127 without exec; reap it here (ECHILD if the reaper was first).
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        return child_error;
    }
    *pid_out = pid;
    return 0;
}
