#include "common/chain/name_index.h"

#include "common/chain/electrum_hashes.h"
#include "common/chain/name_script.h"

namespace electrum::chain {
namespace {

constexpr uint8_t kOpNameUpdate = 0x53, kOp2Drop = 0x6d, kOpDrop = 0x75, kOpReturn = 0x6a;
constexpr uint8_t kOpPushData1 = 0x4c, kOpPushData2 = 0x4d, kOpPushData4 = 0x4e;

// The shortest push of `data` (names are at most 255 bytes in Namecoin,
// but any length gets a valid push).
void AppendPush(Bytes& script, ByteSpan data) {
  const size_t size = data.size();
  if (size < kOpPushData1) {
    script.push_back(static_cast<uint8_t>(size));
  } else if (size <= 0xff) {
    script.insert(script.end(), {kOpPushData1, static_cast<uint8_t>(size)});
  } else if (size <= 0xffff) {
    script.insert(script.end(),
                  {kOpPushData2, static_cast<uint8_t>(size), static_cast<uint8_t>(size >> 8)});
  } else {
    script.insert(script.end(),
                  {kOpPushData4, static_cast<uint8_t>(size), static_cast<uint8_t>(size >> 8),
                   static_cast<uint8_t>(size >> 16), static_cast<uint8_t>(size >> 24)});
  }
  script.insert(script.end(), data.begin(), data.end());
}

}  // namespace

OutputIndexKeys IndexKeysOf(ByteSpan script_pubkey, const TxFormat& format) {
  if (!format.name_operations) return {ScriptHashOf(script_pubkey), std::nullopt};
  std::optional<NameScript> name = ParseNameScript(script_pubkey);
  if (!name) return {ScriptHashOf(script_pubkey), std::nullopt};
  OutputIndexKeys keys{ScriptHashOf(name->address_script), std::nullopt};
  // NAME_NEW publishes only a commitment: no name to index yet.
  if (name->op != NameOp::kNew) keys.name = ScriptHashOf(NameIndexScript(name->name));
  return keys;
}

Bytes NameIndexScript(ByteSpan name) {
  Bytes script{kOpNameUpdate};
  AppendPush(script, name);
  script.push_back(0x00);  // the empty value
  script.insert(script.end(), {kOp2Drop, kOpDrop, kOpReturn});
  return script;
}

}  // namespace electrum::chain
