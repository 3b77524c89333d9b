#include "storage/chain_index/prepared_block.h"

#include "absl/strings/str_cat.h"
#include "common/chain/electrum_hashes.h"

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
  for (const chain::Transaction& tx : prepared.block.transactions) {
    for (const chain::TxOutput& output : tx.outputs) {
      prepared.output_scripthashes.push_back(chain::ScriptHashOf(output.script_pubkey));
    }
  }
  return prepared;
}

}  // namespace electrum::storage
