// The one translation unit that builds doctest's runner; every test area links it.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

// Under ASan+UBSan the runner carries its own options, whoever starts it
// (ctest, or a developer running one case); the environment still wins.
#if defined(__SANITIZE_ADDRESS__)
extern "C" const char* __asan_default_options() {
  return "detect_leaks=1:abort_on_error=1";
}
extern "C" const char* __ubsan_default_options() {
  return "suppressions=" CAFMCP_UBSAN_SUPPRESSIONS ":print_stacktrace=1:halt_on_error=1";
}
#endif
