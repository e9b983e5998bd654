#ifndef CZLIB_H
#define CZLIB_H

#include <stdint.h>
#include <sys/types.h>

// The one thing a symbol store needs from zlib for a ZIP-compressed `name_` file: the member's data, stored or
// deflated, copied from one descriptor to another with its CRC-32 (inflateInit2 is a macro Swift cannot call).

enum {
    CZLIB_OK = 0,
    CZLIB_ERR_READ = 1,      // reading the archive failed (errno set)
    CZLIB_ERR_WRITE = 2,     // writing the output failed (errno set)
    CZLIB_ERR_DATA = 3,      // the deflate stream is corrupt
    CZLIB_ERR_TRUNCATED = 4, // the archive ends before the member's data does
    CZLIB_ERR_SIZE = 5,      // the member inflates to another length than its header says
    CZLIB_ERR_MEMORY = 6,
};

// Copies `compressed_size` bytes at `offset` of `input` to `output` (from its start), inflating them when
// `deflated` (raw deflate, ZIP method 8) or as they are (method 0). `expected_size` bytes must come out.
// `crc` receives the CRC-32 of what was written.
int czlib_extract(int input, uint64_t offset, uint64_t compressed_size, int deflated, int output,
                  uint64_t expected_size, uint32_t *crc);

const char *czlib_error_text(int error);

#endif
