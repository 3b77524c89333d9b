// Deterministic synthetic chains for benchmarks and load tests: blocks of
// realistic transactions (P2PKH, P2SH, P2WPKH, P2WSH, P2TR outputs and
// OP_RETURN data) spending earlier outputs, paying to a heavy-tailed set of
// scripts, with a few "hot" scripts that collect a large share of all
// transactions (exchange-like addresses with 100k+ history entries).
// The same options and seed always give byte-identical blocks.
#ifndef ELECTRUM_TOOLS_SIMNODE_WORKLOAD_H_
#define ELECTRUM_TOOLS_SIMNODE_WORKLOAD_H_

#include <cstdint>
#include <optional>
#include <set>
#include <vector>

#include "absl/status/status.h"
#include "tools/simnode/node.h"
#include "tools/simnode/split_mix.h"
#include "tools/simnode/tx_builder.h"

namespace electrum::simnode {

struct WorkloadOptions {
  uint64_t seed = 1;
  int blocks = 100;
  int transactions_per_block = 1000;
  // Distinct ordinary scripts; picked with a heavy tail toward low indexes.
  int script_pool = 200000;
  // Scripts that receive `hot_share` of all outputs between them.
  int hot_scripts = 3;
  double hot_share = 0.15;
};

class WorkloadGenerator {
 public:
  explicit WorkloadGenerator(const WorkloadOptions& options);

  // Mines the workload onto `node`: plain blocks until a coinbase matures,
  // a few blocks of batch payouts that fund the generator's coins, then
  // options.blocks blocks of options.transactions_per_block transactions.
  absl::Status Run(Node& node);

  // Mempool churn. Takes every unspent, mature output of the last
  // `recent_blocks` blocks as spendable (simnode checks no signatures, so
  // any output will do): works on a chain from another run too.
  void AdoptChain(const Node& node, int recent_blocks);
  struct ChurnTransaction {
    Bytes raw;
    int64_t fee = 0;
  };
  // One transaction spending adopted or earlier churn outputs; nullopt when
  // nothing is left to spend. Call Accepted() when the node took it, so its
  // outputs can be spent in turn (making unconfirmed chains).
  std::optional<ChurnTransaction> NextChurnTransaction();
  void Accepted();

  // The script of ordinary script number `index`, or of hot script `index`.
  Bytes ScriptFor(uint64_t index) const;
  Bytes HotScript(int index) const;

  uint64_t transactions_generated() const { return transactions_generated_; }

 private:
  struct Spendable {
    Outpoint outpoint;
    int64_t value;
    bool segwit;
  };

  uint64_t Next() { return random_.Next(); }
  double NextUnit() { return random_.NextUnit(); }
  Bytes PickScript(bool* segwit);
  // A name operation output (Namecoin), paying to an ordinary script.
  TxOutputSpec NameOutput();
  std::vector<Bytes> MakeBlockTransactions(int count, int64_t* fees,
                                           std::vector<Spendable>* created);
  std::vector<Bytes> MakeFanOutTransactions(int limit, int64_t* fees,
                                            std::vector<Spendable>* created);
  void AddCoinbase(const BlockEntry& block);
  void UseCoin(const SimCoin& coin);

  WorkloadOptions options_;
  SplitMix64 random_;
  std::vector<Spendable> pool_;
  // Outputs of the last churn transaction, until Accepted().
  std::vector<Spendable> pending_;
  uint64_t transactions_generated_ = 0;
  // Namecoin: names registered so far (later operations are updates).
  bool name_operations_ = false;
  // False for coins without segwit (Dash): legacy scripts and inputs only.
  bool segwit_ = true;
  std::set<uint64_t> registered_names_;
};

}  // namespace electrum::simnode

#endif  // ELECTRUM_TOOLS_SIMNODE_WORKLOAD_H_
