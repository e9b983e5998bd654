#define _GNU_SOURCE
#include "clinux.h"

#include <unistd.h>

int clinux_syncfs(int descriptor) { return syncfs(descriptor); }

ssize_t clinux_copy_file_range(int input, int output, size_t length) {
    return copy_file_range(input, NULL, output, NULL, length, 0);
}
