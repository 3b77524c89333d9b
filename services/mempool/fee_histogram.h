// Electrum's compact fee histogram (spec §4.7, ElectrumX's algorithm): fee
// rates at 0.1 sat/vB resolution rounded down, highest first, grouped into
// bins of growing virtual size.
#ifndef ELECTRUM_SERVICES_MEMPOOL_FEE_HISTOGRAM_H_
#define ELECTRUM_SERVICES_MEMPOOL_FEE_HISTOGRAM_H_

#include <cstdint>
#include <vector>

namespace electrum::mempool {

struct FeeAndSize {
  uint64_t fee = 0;
  uint64_t vsize = 0;
};

struct HistogramBin {
  // Satoshis per virtual byte, the lowest rate in the bin.
  double fee_rate = 0;
  uint64_t vsize = 0;
};

// `bin_vsize` is the first bin's target size (ElectrumX: 30,000 vbytes);
// each emitted bin grows the next target by 10%. A trailing remainder
// smaller than the target is not emitted.
std::vector<HistogramBin> CompactFeeHistogram(const std::vector<FeeAndSize>& transactions,
                                              double bin_vsize = 30000);

}  // namespace electrum::mempool

#endif  // ELECTRUM_SERVICES_MEMPOOL_FEE_HISTOGRAM_H_
