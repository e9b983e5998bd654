#include "cmspack.h"
#include <mspack.h>
#include <string.h>

static unsigned int count_files(struct mscabd_cabinet *cabinet) {
    unsigned int n = 0;
    for (struct mscabd_file *file = cabinet->files; file; file = file->next) n++;
    return n;
}

cmspack_cab_info cmspack_cab_inspect(const char *cabinet_path) {
    cmspack_cab_info info;
    memset(&info, 0, sizeof info);
    struct mscab_decompressor *cab = mspack_create_cab_decompressor(NULL);
    if (!cab) { info.error = MSPACK_ERR_NOMEMORY; return info; }
    struct mscabd_cabinet *cabinet = cab->open(cab, cabinet_path);
    if (!cabinet) {
        info.error = cab->last_error(cab);
        if (info.error == MSPACK_ERR_OK) info.error = MSPACK_ERR_SIGNATURE;
        mspack_destroy_cab_decompressor(cab);
        return info;
    }
    info.files = count_files(cabinet);
    if (info.files != 1) {
        info.error = CMSPACK_ERR_MEMBERS;
    } else {
        info.length = cabinet->files->length;
        strncpy(info.name, cabinet->files->filename, sizeof info.name - 1);
    }
    cab->close(cab, cabinet);
    mspack_destroy_cab_decompressor(cab);
    return info;
}

int cmspack_cab_extract_single(const char *cabinet_path, const char *output_path) {
    struct mscab_decompressor *cab = mspack_create_cab_decompressor(NULL);
    if (!cab) return MSPACK_ERR_NOMEMORY;
    struct mscabd_cabinet *cabinet = cab->open(cab, cabinet_path);
    if (!cabinet) {
        int error = cab->last_error(cab);
        mspack_destroy_cab_decompressor(cab);
        return error == MSPACK_ERR_OK ? MSPACK_ERR_SIGNATURE : error;
    }
    int error = count_files(cabinet) == 1 ? cab->extract(cab, cabinet->files, output_path) : CMSPACK_ERR_MEMBERS;
    cab->close(cab, cabinet);
    mspack_destroy_cab_decompressor(cab);
    return error;
}

const char *cmspack_error_text(int error) {
    switch (error) {
    case MSPACK_ERR_OK: return "no error";
    case MSPACK_ERR_ARGS: return "bad arguments";
    case MSPACK_ERR_OPEN: return "cannot open file";
    case MSPACK_ERR_READ: return "read error";
    case MSPACK_ERR_WRITE: return "write error";
    case MSPACK_ERR_SEEK: return "seek error";
    case MSPACK_ERR_NOMEMORY: return "out of memory";
    case MSPACK_ERR_SIGNATURE: return "not a cabinet (bad signature)";
    case MSPACK_ERR_DATAFORMAT: return "corrupt cabinet data";
    case MSPACK_ERR_CHECKSUM: return "cabinet checksum mismatch";
    case MSPACK_ERR_CRUNCH: return "compression error";
    case MSPACK_ERR_DECRUNCH: return "decompression error";
    case CMSPACK_ERR_MEMBERS: return "cabinet does not hold exactly one file";
    default: return "unknown cabinet error";
    }
}
