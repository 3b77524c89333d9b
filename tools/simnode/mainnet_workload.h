// A deterministic chain shaped like Bitcoin mainnet, for measuring the index
// at scale (docs/mainnet_shape.md has the figures and where they come from):
// transactions in mainnet's input/output patterns with long tails of batch
// payouts and consolidations, spends biased toward recent outputs so old
// ones pile up into an unspent set growing by about one output per six or
// seven transactions, a historical mix of script types, address reuse with
// a heavy tail (most scripts used once, a few with 100k–1M+ entries),
// OP_RETURN outputs, a handful of mining pools, and blocks of varying size.
// The same options always give byte-identical blocks.
#ifndef ELECTRUM_TOOLS_SIMNODE_MAINNET_WORKLOAD_H_
#define ELECTRUM_TOOLS_SIMNODE_MAINNET_WORKLOAD_H_

#include <cstdint>
#include <deque>
#include <vector>

#include "absl/status/status.h"
#include "tools/simnode/node.h"
#include "tools/simnode/split_mix.h"
#include "tools/simnode/tx_builder.h"

namespace electrum::simnode {

struct MainnetShapeOptions {
  uint64_t seed = 1;
  // Transactions to generate, coinbases not counted.
  int64_t transactions = 1000000;
  // The mean; each block holds between half and one and a half times it.
  int transactions_per_block = 2500;
};

class MainnetWorkload {
 public:
  explicit MainnetWorkload(const MainnetShapeOptions& options);

  // Mines the chain onto `node` (which must be at genesis): coinbases until
  // one matures, batch payouts until there are coins for a full block, then
  // mainnet-shaped blocks until options.transactions are generated.
  absl::Status Run(Node& node);

  uint64_t transactions_generated() const { return transactions_generated_; }

 private:
  struct Spendable {
    Outpoint outpoint;
    int64_t value = 0;
    uint64_t script_id = 0;
  };
  struct Shape {
    int inputs = 1;
    int outputs = 1;
    // Outputs after the first `outputs - change` go back to the spender.
    bool change = false;
    bool consolidation = false;
  };

  uint64_t Next() { return random_.Next(); }
  double NextUnit() { return random_.NextUnit(); }
  Shape NextShape();
  uint64_t PaymentScript();
  Spendable TakeInput(bool prefer_old);
  bool MakeTransaction(const Shape& shape, std::vector<Bytes>& block, int64_t& fees,
                       std::vector<Spendable>& created);
  std::vector<Bytes> FanOut(int limit, int64_t& fees, std::vector<Spendable>& created);
  absl::Status Mine(Node& node, std::vector<Bytes> transactions, int64_t fees,
                    std::vector<Spendable>& created);
  void AddSpendable(const Spendable& coin);

  MainnetShapeOptions options_;
  SplitMix64 random_;
  // Outputs of the last few blocks (most spends take one of these) and all
  // older ones; together the generator's view of the unspent set.
  std::deque<Spendable> recent_;
  std::vector<Spendable> old_;
  uint64_t next_fresh_script_ = 0;
  // The pool script id that mined each height, for its coinbase.
  std::vector<uint64_t> miners_;
  uint64_t transactions_generated_ = 0;
  // Coins when the shaped blocks begin (after the batch payouts).
  double base_unspent_ = 0;
  // Outputs left unspent for good (too small to pay their own fee).
  uint64_t abandoned_ = 0;
};

// The output script of `script_id`: its type follows from the id (so a
// reused script keeps its type), in docs/mainnet_shape.md's mix.
Bytes MainnetScript(uint64_t script_id);

}  // namespace electrum::simnode

#endif  // ELECTRUM_TOOLS_SIMNODE_MAINNET_WORKLOAD_H_
