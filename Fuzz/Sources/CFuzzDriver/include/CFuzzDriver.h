// libFuzzer's driver, for executables whose `main` is Swift's (SwiftPM defines `main` for
// every executable target, which hides libFuzzer's own). Provided by -sanitize=fuzzer.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
