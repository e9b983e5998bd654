#ifndef CFUZZER_H
#define CFUZZER_H

#include <stddef.h>
#include <stdint.h>

// Runs libFuzzer (LLVMFuzzerRunDriver, from the runtime -sanitize=fuzzer links) with the command line and the
// function it calls for each input. SwiftPM gives every Swift executable its own main, so libFuzzer's main never
// runs: the fuzzers' main calls this instead.
int cfuzzer_run(int argc, char *_Nullable *_Nonnull argv,
                int (*_Nonnull test_one_input)(const uint8_t *_Nonnull data, size_t size));

#endif
