// Parser and hashing throughput: is block parsing ever the ingest bottleneck?
// Run through bench/run_chain_bench.sh, which prints the table, writes JSON and
// puts `openssl speed -evp sha256` beside it.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "benchmark/benchmark.h"
#include "common/chain/block.h"
#include "common/chain/coins.h"
#include "common/crypto/hex.h"
#include "common/crypto/sha256.h"
#include "nlohmann/json.hpp"

namespace electrum::chain {
namespace {

// The large modern mainnet block (segwit, taproot) from testdata/blocks.
const Bytes& LargeBlock() {
  static const Bytes block = [] {
    const char* path = std::getenv("ELECTRUM_BENCH_BLOCK");
    std::ifstream file(path != nullptr ? path : "");
    if (!file) {
      std::fprintf(stderr, "set ELECTRUM_BENCH_BLOCK to a block JSON file\n");
      std::exit(2);
    }
    std::ostringstream text;
    text << file.rdbuf();
    return FromHex(nlohmann::json::parse(text.str())["block"].get<std::string>()).value();
  }();
  return block;
}

// Parse with every txid computed: what ingest does per block.
void BM_ParseBlock(benchmark::State& state) {
  const Bytes& raw = LargeBlock();
  size_t transactions = 0;
  for (auto _ : state) {
    absl::StatusOr<Block> block = ParseBlock(raw, BitcoinMainnet().block_format);
    if (!block.ok()) state.SkipWithError("parse failed");
    transactions = block->transactions.size();
    benchmark::DoNotOptimize(block->transactions.back().txid);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * raw.size()));
  state.counters["block_bytes"] = static_cast<double>(raw.size());
  state.counters["txs"] = static_cast<double>(transactions);
}
BENCHMARK(BM_ParseBlock)->Unit(benchmark::kMicrosecond);

void BM_MerkleRoot(benchmark::State& state) {
  Block block = ParseBlock(LargeBlock(), BitcoinMainnet().block_format).value();
  for (auto _ : state) benchmark::DoNotOptimize(ComputeMerkleRoot(block));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * block.transactions.size()));
}
BENCHMARK(BM_MerkleRoot)->Unit(benchmark::kMicrosecond);

void BM_Sha256d(benchmark::State& state) {
  Bytes data(static_cast<size_t>(state.range(0)), 0x5a);
  for (auto _ : state) benchmark::DoNotOptimize(Sha256d(data));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}
// 80: a block header; 16 KiB: a large transaction.
BENCHMARK(BM_Sha256d)->Arg(80)->Arg(16 * 1024);

}  // namespace
}  // namespace electrum::chain

BENCHMARK_MAIN();
