#include "storage/chain_index/prepared_block.h"

#include "absl/strings/str_cat.h"
#include "common/chain/name_index.h"

namespace electrum::storage {

absl::StatusOr<PreparedBlock> PrepareBlock(int32_t height, const chain::BlockHash& hash,
                                           chain::Bytes raw, const chain::BlockFormat& format) {
  PreparedBlock prepared;
  prepared.height = height;
  prepared.hash = hash;
  prepared.raw = std::move(raw);
  absl::StatusOr<chain::Block> block = chain::ParseBlock(prepared.raw, format);
  if (!block.ok()) {
    return absl::DataLossError(absl::StrCat("node block ", height, " (", hash.ToDisplayHex(),
                                            ") does not parse: ", block.status().message()));
  }
  prepared.block = std::move(*block);
  size_t outputs = 0;
  for (const chain::Transaction& tx : prepared.block.transactions) outputs += tx.outputs.size();
  prepared.output_scripthashes.reserve(outputs);
  for (size_t t = 0; t < prepared.block.transactions.size(); ++t) {
    for (const chain::TxOutput& output : prepared.block.transactions[t].outputs) {
      chain::OutputIndexKeys keys = chain::IndexKeysOf(output.script_pubkey, format.tx);
      prepared.output_scripthashes.push_back(keys.owner);
      if (keys.name) prepared.name_scripthashes.emplace_back(t, *keys.name);
    }
  }
  return prepared;
}

}  // namespace electrum::storage
