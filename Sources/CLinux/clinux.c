#define _GNU_SOURCE
#include "clinux.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int clinux_syncfs(int descriptor) { return syncfs(descriptor); }

ssize_t clinux_copy_file_range(int input, int output, size_t length) {
    return copy_file_range(input, NULL, output, NULL, length, 0);
}

int clinux_lock_file(int descriptor, int wait) {
    struct flock lock;
    memset(&lock, 0, sizeof lock);
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    int result = fcntl(descriptor, wait ? F_OFD_SETLKW : F_OFD_SETLK, &lock);
    if (result != 0 && errno == EINVAL) result = fcntl(descriptor, wait ? F_SETLKW : F_SETLK, &lock);
    return result;
}
