#ifndef CZLIB_H
#define CZLIB_H

#include <stdint.h>
#include <sys/types.h>

// What a symbol store needs from zlib: a ZIP-compressed `name_` file's member, stored or deflated, copied from one
// descriptor to another with its CRC-32; and one MSZIP block of a CAB-compressed `name_` file (inflateInit2 and
// deflateInit2 are macros Swift cannot call).

enum {
    CZLIB_OK = 0,
    CZLIB_ERR_READ = 1,      // reading the archive failed (errno set)
    CZLIB_ERR_WRITE = 2,     // writing the output failed (errno set)
    CZLIB_ERR_DATA = 3,      // the deflate stream is corrupt
    CZLIB_ERR_TRUNCATED = 4, // the archive ends before the member's data does
    CZLIB_ERR_SIZE = 5,      // the member inflates to another length than its header says
    CZLIB_ERR_MEMORY = 6,
    CZLIB_ERR_SPACE = 7,     // the compressed block does not fit the output
};

// Copies `compressed_size` bytes at `offset` of `input` to `output` (from its start), inflating them when
// `deflated` (raw deflate, ZIP method 8) or as they are (method 0). `expected_size` bytes must come out.
// `crc` receives the CRC-32 of what was written.
int czlib_extract(int input, uint64_t offset, uint64_t compressed_size, int deflated, int output,
                  uint64_t expected_size, uint32_t *crc);

// A deflate compressor for the MSZIP blocks of one CAB, kept from block to block (deflateReset, not a new
// deflateInit2 each 32 KiB); NULL when out of memory.
typedef struct czlib_mszip czlib_mszip;
czlib_mszip *czlib_mszip_new(void);
void czlib_mszip_free(czlib_mszip *compressor);

// One MSZIP block of a CAB (CFDATA payload): `CK` followed by a raw deflate stream of `input` (at most 32 KiB)
// that ends the block. Writes at most `capacity` bytes to `output` and their count to `*written`.
int czlib_mszip_block(czlib_mszip *compressor, const uint8_t *input, size_t input_size, uint8_t *output,
                      size_t capacity, size_t *written);

const char *czlib_error_text(int error);

#endif
