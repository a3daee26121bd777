// Real functions for the _GNU_SOURCE-only parts of glibc (see include/CWSGateLinux.h).
#include "CWSGateLinux.h"
#include <unistd.h>
#include <fcntl.h>

int CWSGateLinux_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags) {
    return accept4(fd, addr, len, flags);
}

int CWSGateLinux_pipe2(int fds[2], int flags) {
    return pipe2(fds, flags);
}

int CWSGateLinux_spawn_file_actions_addclosefrom(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}

int CWSGateLinux_o_path(void) {
    return O_PATH;
}
