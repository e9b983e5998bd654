#include "czlib.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

enum { BUFFER_SIZE = 256 * 1024 };

static int write_all(int output, const unsigned char *bytes, size_t count, uint64_t *position) {
    while (count > 0) {
        ssize_t written = pwrite(output, bytes, count, (off_t)*position);
        if (written < 0) {
            if (errno == EINTR) continue;
            return CZLIB_ERR_WRITE;
        }
        bytes += written;
        count -= (size_t)written;
        *position += (uint64_t)written;
    }
    return CZLIB_OK;
}

int czlib_extract(int input, uint64_t offset, uint64_t compressed_size, int deflated, int output,
                  uint64_t expected_size, uint32_t *crc) {
    unsigned char *in = malloc(BUFFER_SIZE), *out = malloc(BUFFER_SIZE);
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    int result = CZLIB_OK, stream_open = 0, finished = !deflated && compressed_size == 0;
    uLong checksum = crc32(0L, Z_NULL, 0);
    uint64_t read_position = offset, remaining = compressed_size, written = 0;
    if (!in || !out) { result = CZLIB_ERR_MEMORY; goto done; }
    if (deflated) {
        if (inflateInit2(&stream, -MAX_WBITS) != Z_OK) { result = CZLIB_ERR_MEMORY; goto done; }
        stream_open = 1;
    }
    while (remaining > 0 && result == CZLIB_OK && !finished) {
        size_t want = remaining < BUFFER_SIZE ? (size_t)remaining : BUFFER_SIZE;
        ssize_t got = pread(input, in, want, (off_t)read_position);
        if (got < 0) {
            if (errno == EINTR) continue;
            result = CZLIB_ERR_READ;
            break;
        }
        if (got == 0) { result = CZLIB_ERR_TRUNCATED; break; }
        read_position += (uint64_t)got;
        remaining -= (uint64_t)got;
        if (!deflated) {
            if (written + (uint64_t)got > expected_size) { result = CZLIB_ERR_SIZE; break; }
            checksum = crc32(checksum, in, (uInt)got);
            result = write_all(output, in, (size_t)got, &written);
            finished = remaining == 0;
            continue;
        }
        stream.next_in = in;
        stream.avail_in = (uInt)got;
        // Until this input is used up and zlib holds no more output for it (a full output buffer may mean more).
        do {
            stream.next_out = out;
            stream.avail_out = BUFFER_SIZE;
            int status = inflate(&stream, Z_NO_FLUSH);
            if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) { result = CZLIB_ERR_DATA; break; }
            size_t produced = BUFFER_SIZE - stream.avail_out;
            if (written + produced > expected_size) { result = CZLIB_ERR_SIZE; break; }
            checksum = crc32(checksum, out, (uInt)produced);
            result = write_all(output, out, produced, &written);
            if (status == Z_STREAM_END) finished = 1;
            else if (status == Z_BUF_ERROR && produced == 0 && stream.avail_in > 0) result = CZLIB_ERR_DATA;
        } while (result == CZLIB_OK && !finished && (stream.avail_in > 0 || stream.avail_out == 0));
    }
    if (result == CZLIB_OK && !finished) result = deflated ? CZLIB_ERR_TRUNCATED : CZLIB_OK;
    if (result == CZLIB_OK && written != expected_size) result = CZLIB_ERR_SIZE;
done:
    if (stream_open) inflateEnd(&stream);
    free(in);
    free(out);
    *crc = (uint32_t)checksum;
    return result;
}

const char *czlib_error_text(int error) {
    switch (error) {
    case CZLIB_OK: return "no error";
    case CZLIB_ERR_READ: return "cannot read the archive";
    case CZLIB_ERR_WRITE: return "cannot write the output";
    case CZLIB_ERR_DATA: return "corrupt deflate data";
    case CZLIB_ERR_TRUNCATED: return "the archive ends inside the member's data";
    case CZLIB_ERR_SIZE: return "the member's data is not the size its header says";
    case CZLIB_ERR_SPACE: return "the compressed block does not fit";
    case CZLIB_ERR_MEMORY: return "out of memory";
    default: return "unknown error";
    }
}

struct czlib_mszip {
    z_stream stream;
};

czlib_mszip *czlib_mszip_new(void) {
    czlib_mszip *compressor = calloc(1, sizeof *compressor);
    if (!compressor) return NULL;
    if (deflateInit2(&compressor->stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(compressor);
        return NULL;
    }
    return compressor;
}

void czlib_mszip_free(czlib_mszip *compressor) {
    if (!compressor) return;
    deflateEnd(&compressor->stream);
    free(compressor);
}

int czlib_mszip_block(czlib_mszip *compressor, const uint8_t *input, size_t input_size, uint8_t *output,
                      size_t capacity, size_t *written) {
    if (capacity < 2) return CZLIB_ERR_SPACE;
    z_stream *stream = &compressor->stream;
    if (deflateReset(stream) != Z_OK) return CZLIB_ERR_MEMORY;
    output[0] = 'C';
    output[1] = 'K';
    stream->next_in = (Bytef *)input;
    stream->avail_in = (uInt)input_size;
    stream->next_out = output + 2;
    stream->avail_out = (uInt)(capacity - 2);
    int status = deflate(stream, Z_FINISH);
    if (status != Z_STREAM_END) return status == Z_OK || status == Z_BUF_ERROR ? CZLIB_ERR_SPACE : CZLIB_ERR_MEMORY;
    *written = 2 + stream->total_out;
    return CZLIB_OK;
}
