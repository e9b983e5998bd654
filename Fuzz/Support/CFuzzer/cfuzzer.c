#include "cfuzzer.h"

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*user_callback)(const uint8_t *data, size_t size));

int cfuzzer_run(int argc, char *_Nullable *_Nonnull argv,
                int (*_Nonnull test_one_input)(const uint8_t *_Nonnull data, size_t size)) {
    return LLVMFuzzerRunDriver(&argc, &argv, test_one_input);
}
