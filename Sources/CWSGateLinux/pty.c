// Pseudo-terminals for `--pty`: the pair, and the window size.
//
// Why it exists: the terminal calls are C's (ioctl is variadic, which Swift cannot call), and
// opening a pair is several steps that must all succeed or leave nothing open.
#include "CWSGateLinux.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

int CWSGateLinux_set_window_size(int fd, unsigned short columns, unsigned short rows) {
    const struct winsize size = { .ws_row = rows, .ws_col = columns };
    return ioctl(fd, TIOCSWINSZ, &size) == 0 ? 0 : errno;
}

int CWSGateLinux_open_pty(int raw, unsigned short columns, unsigned short rows, int *master_out, int *slave_out) {
    int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) return errno;
    char name[128];
    int slave = -1;
    if (grantpt(master) != 0 || unlockpt(master) != 0 || ptsname_r(master, name, sizeof name) != 0) goto fail;
    slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0) goto fail;
    if (raw) {
        struct termios settings;
        if (tcgetattr(slave, &settings) != 0) goto fail;
        cfmakeraw(&settings);
        if (tcsetattr(slave, TCSANOW, &settings) != 0) goto fail;
    }
    int error = CWSGateLinux_set_window_size(master, columns, rows);
    if (error != 0) {
        errno = error;
        goto fail;
    }
    *master_out = master;
    *slave_out = slave;
    return 0;
fail:;
    int failure = errno;
    if (slave >= 0) close(slave);
    close(master);
    return failure;
}
