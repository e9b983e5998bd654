#ifndef CLINUX_H
#define CLINUX_H

#include <stdint.h>
#include <sys/types.h>

// Linux calls that glibc declares only under _GNU_SOURCE, which Swift's Glibc module does not define.

// syncfs(2): flushes the file system that holds `descriptor`.
int clinux_syncfs(int descriptor);

// copy_file_range(2) from and to the descriptors' current offsets.
ssize_t clinux_copy_file_range(int input, int output, size_t length);

// Waits for a write lock on the whole of `descriptor`'s file (open for writing) that belongs to the open file
// description (F_OFD_SETLKW): released when it is closed or its process dies, and honoured over NFS as a POSIX
// lock. Falls back to a process lock (F_SETLKW) where open file description locks are missing. 0 or -1 (errno).
int clinux_lock_file(int descriptor, int wait);

#endif
