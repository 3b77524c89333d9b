// simnode's workload generator: transactions per second to generate and
// connect a synthetic chain in memory (one core). Target: >= 20k tx/s.
// Run through bench/run_simnode_bench.sh (table + JSON).
#include "benchmark/benchmark.h"
#include "tools/simnode/node.h"
#include "tools/simnode/workload.h"

namespace electrum::simnode {
namespace {

void BM_GenerateChain(benchmark::State& state) {
  const int blocks = static_cast<int>(state.range(0));
  const int per_block = static_cast<int>(state.range(1));
  uint64_t transactions = 0;
  size_t bytes = 0;
  for (auto _ : state) {
    auto node = Node::Open({.mock_time = 1700000000}, nullptr);
    WorkloadGenerator generator(
        {.seed = 42, .blocks = blocks, .transactions_per_block = per_block});
    absl::Status status = generator.Run(**node);
    if (!status.ok()) state.SkipWithError(std::string(status.message()).c_str());
    transactions += generator.transactions_generated();
    for (int h = 0; h <= (*node)->chain().Height(); ++h) {
      bytes += (*node)->chain().AtHeight(h)->raw.size();
    }
  }
  state.counters["tx_per_s"] =
      benchmark::Counter(static_cast<double>(transactions), benchmark::Counter::kIsRate);
  state.counters["txs"] = static_cast<double>(transactions) / state.iterations();
  state.counters["chain_MB"] = static_cast<double>(bytes) / state.iterations() / 1e6;
}
BENCHMARK(BM_GenerateChain)
    ->Args({40, 2500})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->UseRealTime();

}  // namespace
}  // namespace electrum::simnode

BENCHMARK_MAIN();
