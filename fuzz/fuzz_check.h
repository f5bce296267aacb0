// What the fuzz targets share: an invariant check that stops the run with a readable message (an
// abort is a crash to libFuzzer, which then saves the input), and a deterministic Random so that
// tokens issued inside a target are the same on every run. Single-threaded use only.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "connecthub/random.h"

#define FUZZ_CHECK(condition)                                                                \
  do {                                                                                       \
    if (!(condition)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                          \
    }                                                                                        \
  } while (false)

namespace connecthub::fuzz {

class CountingRandom final : public Random {
 public:
  void Fill(uint8_t* out, size_t size) override {
    for (size_t i = 0; i < size; ++i) out[i] = static_cast<uint8_t>(next_++ * 151 + 7);
  }

 private:
  uint32_t next_ = 0;
};

}  // namespace connecthub::fuzz
