// libFuzzer's entry for programs that have a main of their own (SwiftPM gives every executable
// one): it parses libFuzzer's flags from argv and runs `callback` on each input.
// https://llvm.org/docs/LibFuzzer.html#using-libfuzzer-as-a-library
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
