// Opening a file strictly inside a directory, for the static file server.
//
// Why it exists: checking a path's text for ".." is not enough: a symbolic link inside the
// served directory can point anywhere. openat2(2) with RESOLVE_BENEATH makes the kernel refuse
// every step that would leave the directory (a "..", an absolute link, a link outside) at the
// moment of opening, so there is no window between a check and the open. Kernels before 5.6
// lack it; there every component is opened one by one without following any symbolic link.
#include "CWSGateLinux.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>

static int open_without_links(int directory, const char *path, int flags) {
    char component[256];
    int current = directory;
    const char *cursor = path;
    for (;;) {
        while (*cursor == '/') cursor++;
        const char *end = strchr(cursor, '/');
        size_t length = end ? (size_t) (end - cursor) : strlen(cursor);
        if (length == 0 || length >= sizeof component) {
            if (current != directory) close(current);
            errno = length == 0 ? ENOENT : ENAMETOOLONG;
            return -1;
        }
        memcpy(component, cursor, length);
        component[length] = 0;
        if (strcmp(component, "..") == 0) {
            if (current != directory) close(current);
            errno = EXDEV;
            return -1;
        }
        while (end && *end == '/') end++;
        int last = end == NULL || *end == 0;
        int next = openat(current, component, last ? (flags | O_NOFOLLOW) : (O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        int saved = errno;
        if (next < 0 && (saved == ELOOP || saved == ENOTDIR)) {
            // A symbolic link where a directory or the file was expected: refused, not missing.
            struct stat status;
            if (fstatat(current, component, &status, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(status.st_mode)) saved = EXDEV;
        }
        if (current != directory) close(current);
        if (next < 0) {
            errno = saved;
            return -1;
        }
        if (last) return next;
        current = next;
        cursor = end;
    }
}

int CWSGateLinux_open_beneath(int directory, const char *path, int flags, int allow_openat2) {
    if (allow_openat2) {
        struct open_how how = {
            .flags = (uint64_t) flags,
            .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
        };
        long fd = syscall(SYS_openat2, directory, path, &how, sizeof how);
        if (fd >= 0 || errno != ENOSYS) return (int) fd;
    }
    return open_without_links(directory, path, flags);
}
