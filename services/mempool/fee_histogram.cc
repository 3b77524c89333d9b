#include "services/mempool/fee_histogram.h"

#include <functional>
#include <map>

namespace electrum::mempool {

std::vector<HistogramBin> CompactFeeHistogram(const std::vector<FeeAndSize>& transactions,
                                              double bin_vsize) {
  // Tenths of sat/vB, rounded down, exactly (no floating point on the way).
  std::map<uint64_t, uint64_t, std::greater<>> size_by_rate;
  for (const FeeAndSize& tx : transactions) {
    if (tx.vsize == 0) continue;
    size_by_rate[tx.fee * 10 / tx.vsize] += tx.vsize;
  }
  std::vector<HistogramBin> bins;
  uint64_t cumulative = 0;
  bool has_previous = false;
  uint64_t previous = 0;
  for (const auto& [tenths, size] : size_by_rate) {
    // A big lump at one rate: close the bin before it first.
    if (size > 2 * bin_vsize && has_previous && cumulative > 0) {
      bins.push_back({previous / 10.0, cumulative});
      cumulative = 0;
      bin_vsize *= 1.1;
    }
    cumulative += size;
    if (cumulative > bin_vsize) {
      bins.push_back({tenths / 10.0, cumulative});
      cumulative = 0;
      bin_vsize *= 1.1;
    }
    previous = tenths;
    has_previous = true;
  }
  return bins;
}

}  // namespace electrum::mempool
