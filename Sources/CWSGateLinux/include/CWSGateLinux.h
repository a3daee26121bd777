// CWSGateLinux: the Linux system interfaces Swift's Glibc module does not import.
//
// Why it exists: `import Glibc` exposes neither epoll, eventfd, signalfd nor the functions glibc
// hides behind _GNU_SOURCE (accept4, pipe2, posix_spawn_file_actions_addclosefrom_np). Defining
// _GNU_SOURCE for this target only affects its C files, so every such function gets a real
// wrapper here, prefixed CWSGateLinux_; spawn.c is the one piece that must be C (a vfork
// child). Nothing else lives in this target.
#ifndef CWSGATELINUX_H
#define CWSGATELINUX_H

#include <stdint.h>
#include <signal.h>
#include <spawn.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <sys/un.h>
#include <malloc.h>

/// accept4(2) with SOCK_NONBLOCK | SOCK_CLOEXEC, so an accepted socket is never inheritable.
int CWSGateLinux_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);

/// pipe2(2): pipes are created O_CLOEXEC (and O_NONBLOCK where asked) in one step.
int CWSGateLinux_pipe2(int fds[2], int flags);

/// posix_spawn_file_actions_addclosefrom_np: closes every inherited fd >= `from` in the child.
int CWSGateLinux_spawn_file_actions_addclosefrom(posix_spawn_file_actions_t *actions, int from);

/// What a child is bounded by (`--rlimit`), who it runs as (`--user`, `--group`) and whether
/// it gets a terminal (`--pty`).
typedef struct CWSGateLinux_spawn_options {
    /// `rlimit_count` resources (RLIMIT_*) and the value each gets as soft and hard limit.
    int rlimit_count;
    const int *rlimit_resources;
    const uint64_t *rlimit_values;
    /// Non-zero: the child takes `uid`, `gid` and the `group_count` supplementary `groups`.
    int change_identity;
    uid_t uid;
    gid_t gid;
    int group_count;
    const gid_t *groups;
    /// Non-zero: the child leads a new session (setsid, not just its own process group) and
    /// its stdin, a terminal, becomes the session's controlling terminal (TIOCSCTTY).
    int controlling_terminal;
} CWSGateLinux_spawn_options;

/// Starts `path` (spawn.c): stdin, stdout and stderr are `fds[0..2]`, every other descriptor
/// closed, the signals in `default_signals` (bit N-1 for signal N) reset to SIG_DFL, an empty
/// signal mask, its own process group (or session), `options` (NULL: none) applied, in
/// `directory` (NULL: ours). Returns 0 and the pid, or the errno of the failed step (limits,
/// identity, terminal, chdir and exec included).
int CWSGateLinux_spawn(const char *path, char *const argv[], char *const envp[], const char *directory,
                       const int fds[3], uint64_t default_signals, const CWSGateLinux_spawn_options *options,
                       pid_t *pid_out);

/// A pseudo-terminal pair (pty.c), both ends close-on-exec, the terminal `columns` × `rows`;
/// `raw` turns off echo, line editing, signal characters and output processing (cfmakeraw).
/// Returns 0, or the errno of the failed step.
int CWSGateLinux_open_pty(int raw, unsigned short columns, unsigned short rows, int *master, int *slave);

/// TIOCSWINSZ: the terminal's new size; its foreground process group gets SIGWINCH.
int CWSGateLinux_set_window_size(int fd, unsigned short columns, unsigned short rows);

/// Opens `path` (relative) inside `directory` only (open_beneath.c): openat2 with
/// RESOLVE_BENEATH, or, without it or when `allow_openat2` is 0, a walk that follows no
/// symbolic link. Escaping fails with EXDEV. Returns the descriptor or -1 and errno.
int CWSGateLinux_open_beneath(int directory, const char *path, int flags, int allow_openat2);

/// O_PATH (a _GNU_SOURCE constant): a descriptor that only names a place in the file tree.
int CWSGateLinux_o_path(void);

/// The signals this process ignores, bit N-1 for signal N, glibc's internal 32 and 33 included.
uint64_t CWSGateLinux_ignored_signals(void);

/// The epoll_data union is awkward from Swift; these read and write its 64-bit member.
static inline uint64_t CWSGateLinux_epoll_event_data(const struct epoll_event *event) {
    return event->data.u64;
}
static inline void CWSGateLinux_epoll_event_set(struct epoll_event *event, uint32_t events, uint64_t data) {
    event->events = events;
    event->data.u64 = data;
}

/// sigset_t manipulation through functions (some are macros in glibc).
static inline int CWSGateLinux_sigemptyset(sigset_t *set) { return sigemptyset(set); }
static inline int CWSGateLinux_sigaddset(sigset_t *set, int signal) { return sigaddset(set, signal); }
static inline int CWSGateLinux_sigfillset(sigset_t *set) { return sigfillset(set); }

/// mallopt with glibc's M_* options (the Glibc module does not import malloc.h).
static inline void CWSGateLinux_keep_freed_memory(int mmap_threshold, int trim_threshold) {
    mallopt(M_MMAP_THRESHOLD, mmap_threshold);
    mallopt(M_TRIM_THRESHOLD, trim_threshold);
}

/// WIFEXITED & co. are macros over the wait status.
static inline int CWSGateLinux_WIFEXITED(int status) { return WIFEXITED(status); }
static inline int CWSGateLinux_WEXITSTATUS(int status) { return WEXITSTATUS(status); }
static inline int CWSGateLinux_WIFSIGNALED(int status) { return WIFSIGNALED(status); }
static inline int CWSGateLinux_WTERMSIG(int status) { return WTERMSIG(status); }

#endif
