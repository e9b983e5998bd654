#ifndef CLINUX_H
#define CLINUX_H

#include <stdint.h>
#include <sys/types.h>

// Linux calls that glibc declares only under _GNU_SOURCE, which Swift's Glibc module does not define.

// syncfs(2): flushes the file system that holds `descriptor`.
int clinux_syncfs(int descriptor);

// copy_file_range(2) from and to the descriptors' current offsets.
ssize_t clinux_copy_file_range(int input, int output, size_t length);

#endif
