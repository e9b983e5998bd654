#ifndef CMSPACK_H
#define CMSPACK_H

#include <stddef.h>

// libmspack's decompressor is a struct of function pointers behind a factory; these wrap the one thing a symbol
// store needs from a cabinet (a `name_` file): the single member it holds.

typedef struct {
    int error;               // MSPACK_ERR_* (0 = ok); CMSPACK_ERR_MEMBERS when the cabinet holds != 1 file
    unsigned int files;      // members in the cabinet
    unsigned long long length; // uncompressed length of the member
    char name[256];          // member name as stored (truncated if longer)
} cmspack_cab_info;

#define CMSPACK_ERR_MEMBERS 1000

// Reads the cabinet's headers only.
cmspack_cab_info cmspack_cab_inspect(const char *cabinet_path);

// Extracts the cabinet's single member to output_path. Returns MSPACK_ERR_* or CMSPACK_ERR_MEMBERS.
int cmspack_cab_extract_single(const char *cabinet_path, const char *output_path);

// A human-readable text for an error code from the calls above.
const char *cmspack_error_text(int error);

#endif
