// splitmix64: a small, fast random generator whose output is the same on
// every platform (unlike <random>'s distributions, which are
// implementation-defined), so a workload seed always gives the same chain.
#ifndef ELECTRUM_TOOLS_SIMNODE_SPLIT_MIX_H_
#define ELECTRUM_TOOLS_SIMNODE_SPLIT_MIX_H_

#include <cstdint>

namespace electrum::simnode {

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1), 53 bits.
  double NextUnit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

 private:
  uint64_t state_;
};

}  // namespace electrum::simnode

#endif  // ELECTRUM_TOOLS_SIMNODE_SPLIT_MIX_H_
