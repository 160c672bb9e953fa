// Empty: the header declares a function that libFuzzer (-sanitize=fuzzer) defines.
#include "FuzzDriver.h"
