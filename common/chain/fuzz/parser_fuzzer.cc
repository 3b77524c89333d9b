// libFuzzer target for the chain parsers. The first input byte picks the
// parser and format; the rest is the input. Beyond "no crash, no leak, no
// undefined behaviour" it checks a property: whatever parses re-serializes to
// exactly the bytes it came from.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/chain/address.h"
#include "common/chain/block.h"
#include "common/chain/name_script.h"
#include "common/chain/transaction.h"

namespace {

using electrum::chain::BlockFormat;
using electrum::chain::ByteSpan;
using electrum::chain::PowDataFormat;
using electrum::chain::TxFormat;

void CheckTransaction(ByteSpan data, const TxFormat& format) {
  auto tx = electrum::chain::ParseTransaction(data, format);
  if (!tx.ok()) return;
  auto again = electrum::chain::SerializeTransaction(*tx);
  if (!std::equal(again.begin(), again.end(), data.begin(), data.end())) std::abort();
}

void CheckBlock(ByteSpan data, const BlockFormat& format) {
  auto block = electrum::chain::ParseBlock(data, format);
  if (!block.ok()) return;
  auto again = electrum::chain::SerializeBlock(*block);
  if (!std::equal(again.begin(), again.end(), data.begin(), data.end())) std::abort();
  electrum::chain::ComputeMerkleRoot(*block);
}

void CheckText(ByteSpan data) {
  std::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
  const auto& prefixes = electrum::chain::BitcoinMainnet().addresses;
  auto script = electrum::chain::AddressToScript(prefixes, text);
  if (!script.ok()) return;
  // A valid address maps back to itself (up to bech32 case).
  auto address = electrum::chain::ScriptToAddress(prefixes, *script);
  if (!address.ok()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size == 0) return 0;
  ByteSpan data(bytes + 1, size - 1);
  switch (bytes[0] % 8) {
    case 0:
      CheckTransaction(data, {});
      break;
    case 1:
      CheckTransaction(data, {.dash_special = true});
      break;
    case 2:
      CheckTransaction(data, {.litecoin_mweb = true});
      break;
    case 3:
      CheckBlock(data, {});
      break;
    case 4:
      CheckBlock(data, {.pow_data = PowDataFormat::kAuxPowVersionBit});
      break;
    case 5:
      CheckBlock(data, {.pow_data = PowDataFormat::kXaya});
      break;
    case 6:
      electrum::chain::ParseNameScript(data);
      break;
    case 7:
      CheckText(data);
      break;
  }
  return 0;
}
