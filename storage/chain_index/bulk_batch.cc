#include "storage/chain_index/bulk_batch.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "storage/chain_index/packed_txids.h"

namespace electrum::storage {

absl::Status BulkBatchBuilder::Add(const PreparedBlock& prepared) {
  const chain::Block& block = prepared.block;
  if (last_height_ >= 0 &&
      (prepared.height != last_height_ + 1 || block.header.prev_hash != last_hash_)) {
    return absl::InvalidArgumentError(
        absl::StrCat("block ", prepared.height, " does not follow block ", last_height_));
  }
  if (empty()) {
    batch_.first_height = prepared.height;
    batch_.first_prev_hash = block.header.prev_hash;
    batch_.first_tx_num = next_tx_num_;
  }
  batch_.blocks.StartRow(6);
  batch_.blocks.AddInt32(prepared.height);
  batch_.blocks.AddBytes(prepared.hash.span());
  batch_.blocks.AddBytes(block.header.raw);
  batch_.blocks.AddInt32(static_cast<int32_t>(block.transactions.size()));
  batch_.blocks.AddInt64(next_tx_num_);
  if (const chain::ByteSpan pow_data = chain::PowData(block); pow_data.empty()) {
    batch_.blocks.AddNull();
  } else {
    batch_.blocks.AddBytes(pow_data);
  }
  batch_.block_txids.StartRow(3);
  batch_.block_txids.AddInt64(next_tx_num_);
  batch_.block_txids.AddInt32(prepared.height);
  batch_.block_txids.AddBytes(PackedTxids(block));

  std::vector<chain::ScriptHash> touched;
  size_t output_index = 0;
  auto next_name = prepared.name_scripthashes.begin();
  for (size_t t = 0; t < block.transactions.size(); ++t) {
    const chain::Transaction& tx = block.transactions[t];
    const int64_t tx_num = next_tx_num_++;
    batch_.txs.StartRow(3);
    batch_.txs.AddInt64(tx_num);
    batch_.txs.AddBytes(tx.txid.span());
    batch_.txs.AddInt32(prepared.height);
    // The genesis coinbase can never be spent; Electrum servers leave its
    // output out of every history.
    if (prepared.height == 0) continue;
    touched.clear();
    if (!tx.IsCoinbase()) {
      for (const chain::TxInput& input : tx.inputs) {
        std::optional<UnspentOutput> spent =
            unspent_.Spend(OutPoint{input.prev_txid, input.prev_index});
        if (!spent && unspent_.evicted() > 0) {
          // The spent script's history entry comes from the finish's join.
          batch_.spilled.StartRow(3);
          batch_.spilled.AddBytes(input.prev_txid.span());
          batch_.spilled.AddInt32(static_cast<int32_t>(input.prev_index));
          batch_.spilled.AddInt64(tx_num);
          continue;
        }
        if (!spent) {
          return absl::DataLossError(
              absl::StrCat("block ", prepared.height, " tx ", tx.txid.ToDisplayHex(), " spends ",
                           input.prev_txid.ToDisplayHex(), ":", input.prev_index,
                           ", which is not an unspent output in the index"));
        }
        touched.push_back(spent->scripthash);
        if (CancelWithinBatch(*spent, input.prev_index, prepared.height)) continue;
        batch_.spends.StartRow(3);
        batch_.spends.AddInt64(spent->tx_num);
        batch_.spends.AddInt32(static_cast<int32_t>(input.prev_index));
        batch_.spends.AddInt64(tx_num);
      }
    }
    for (uint32_t vout = 0; vout < tx.outputs.size(); ++vout) {
      const chain::ScriptHash& scripthash = prepared.output_scripthashes[output_index++];
      outputs_.push_back({tx_num, tx.outputs[vout].value, vout, scripthash});
      if (std::optional<UnspentOutput> replaced =
              unspent_.Add(OutPoint{tx.txid, vout}, UnspentOutput{tx_num, scripthash})) {
        // Recorded as spent, so the merge keeps one output per outpoint.
        batch_.spends.StartRow(3);
        batch_.spends.AddInt64(replaced->tx_num);
        batch_.spends.AddInt32(static_cast<int32_t>(vout));
        batch_.spends.AddInt64(tx_num);
      }
      touched.push_back(scripthash);
    }
    for (; next_name != prepared.name_scripthashes.end() && next_name->first <= t; ++next_name) {
      if (next_name->first == t) touched.push_back(next_name->second);
    }
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    for (const chain::ScriptHash& scripthash : touched) {
      batch_.history.StartRow(2);
      batch_.history.AddInt64(tx_num);
      batch_.history.AddBytes(scripthash.span());
    }
  }
  batch_.transactions += static_cast<int64_t>(block.transactions.size());
  batch_.last_height = prepared.height;
  batch_.last_hash = prepared.hash;
  last_height_ = prepared.height;
  last_hash_ = prepared.hash;
  return absl::OkStatus();
}

bool BulkBatchBuilder::CancelWithinBatch(const UnspentOutput& spent, uint32_t vout,
                                         int32_t height) {
  if (height >= cancel_below_height_ || spent.tx_num < batch_.first_tx_num) return false;
  canceled_.insert({spent.tx_num, vout});
  ++canceled_total_;
  batch_.last_canceled_height = height;
  return true;
}

void BulkBatchBuilder::EncodeOutputs() {
  for (const PendingOutput& output : outputs_) {
    if (!canceled_.empty() && canceled_.contains({output.tx_num, output.vout})) continue;
    batch_.outputs.StartRow(4);
    batch_.outputs.AddInt64(output.tx_num);
    batch_.outputs.AddInt32(static_cast<int32_t>(output.vout));
    batch_.outputs.AddBytes(output.scripthash.span());
    batch_.outputs.AddInt64(output.value);
  }
  outputs_.clear();
  canceled_.clear();
}

BulkBatch BulkBatchBuilder::Take() {
  EncodeOutputs();
  BulkBatch taken = std::move(batch_);
  batch_ = BulkBatch();
  return taken;
}

}  // namespace electrum::storage
