#include "common/chain/coins.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace electrum::chain {
namespace {

BlockHash Genesis(std::string_view display_hex) {
  // The table's literals are fixed; a typo must fail loudly at start-up.
  return BlockHash::FromDisplayHex(display_hex).value();
}

constexpr AddressPrefixes kBitcoinMainAddresses{0x00, 0x05, "bc"};
constexpr AddressPrefixes kBitcoinTestAddresses{0x6f, 0xc4, "tb"};

constexpr BlockFormat kAuxPowFormat{.pow_data = PowDataFormat::kAuxPowVersionBit};
constexpr BlockFormat kNamecoinFormat{.pow_data = PowDataFormat::kAuxPowVersionBit,
                                      .tx = {.name_operations = true}};
constexpr BlockFormat kDashFormat{.tx = {.dash_special = true}};

std::vector<CoinParams> BuildTable() {
  std::vector<CoinParams> coins;
  auto bitcoin = [&](std::string_view network, std::string_view genesis, AddressPrefixes addresses,
                     uint16_t tcp, uint16_t ssl, uint16_t rpc) {
    coins.push_back({.name = "Bitcoin",
                     .network = network,
                     .genesis_hash = Genesis(genesis),
                     .addresses = addresses,
                     .electrum_tcp_port = tcp,
                     .electrum_ssl_port = ssl,
                     .node_rpc_port = rpc});
  };
  bitcoin("mainnet", "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f",
          kBitcoinMainAddresses, 50001, 50002, 8332);
  bitcoin("testnet", "000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943",
          kBitcoinTestAddresses, 51001, 51002, 18332);
  bitcoin("testnet4", "00000000da84f2bafbbc53dee25a72ae507ff4914b867c565be350b0da8bf043",
          kBitcoinTestAddresses, 51001, 51002, 48332);
  bitcoin("signet", "00000008819873e925422c1ff0f99f7cc9bbb232af63a077a480a3633bee1ef6",
          kBitcoinTestAddresses, 51001, 51002, 38332);
  bitcoin("regtest", "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206",
          {0x6f, 0xc4, "bcrt"}, 51001, 51002, 18443);

  auto dash = [&](std::string_view network, std::string_view genesis, AddressPrefixes addresses,
                  uint16_t tcp, uint16_t ssl, uint16_t rpc) {
    coins.push_back({.name = "Dash",
                     .network = network,
                     .genesis_hash = Genesis(genesis),
                     .addresses = addresses,
                     .sha256d_block_hash = false,
                     .block_hash_function = "x11",
                     .block_format = kDashFormat,
                     .extensions = ExtensionSet::kDash,
                     .electrum_tcp_port = tcp,
                     .electrum_ssl_port = ssl,
                     .node_rpc_port = rpc});
  };
  dash("mainnet", "00000ffd590b1485b3caadc19b22e6379c733355108f107a430458cdf3407ab6",
       {0x4c, 0x10, ""}, 50001, 50002, 9998);
  dash("testnet", "00000bafbc94add76cb75e2ec92894837288a481e5c005f6563d91623bf8bc2c",
       {0x8c, 0x13, ""}, 51001, 51002, 19998);
  dash("regtest", "000008ca1832a4baf228eb1553c03d3a2c8e02399550dd6ea8d65cec3ef23d2e",
       {0x8c, 0x13, ""}, 51001, 51002, 19998);

  coins.push_back(
      {.name = "Namecoin",
       .network = "mainnet",
       .genesis_hash = Genesis("000000000062b72c5e2ceb45fbc8587e807c155b0da735e6483dfba2f0a9c770"),
       .addresses = {0x34, 0x0d, "nc"},
       .block_format = kNamecoinFormat,
       .extensions = ExtensionSet::kAuxPowNameIndex,
       .default_max_send = 10'000'000,
       .name_expiration_blocks = 36000,
       .node_rpc_port = 8336});
  // Namecoin's regtest starts from Bitcoin's regtest genesis block.
  coins.push_back(
      {.name = "Namecoin",
       .network = "regtest",
       .genesis_hash = Genesis("0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206"),
       .addresses = {0x6f, 0xc4, "ncrt"},
       .block_format = kNamecoinFormat,
       .extensions = ExtensionSet::kAuxPowNameIndex,
       .default_max_send = 10'000'000,
       .name_expiration_blocks = 30,
       .node_rpc_port = 18443});
  coins.push_back(
      {.name = "Dogecoin",
       .network = "mainnet",
       .genesis_hash = Genesis("1a91e3dace36e2be3bf030a65679fe821aa1d6ef92e7c9902eb318182c355691"),
       .addresses = {0x1e, 0x16, ""},
       .block_format = kAuxPowFormat,
       .extensions = ExtensionSet::kAuxPow,
       .default_max_send = 10'000'000,
       .node_rpc_port = 22555});
  coins.push_back(
      {.name = "Litecoin",
       .network = "mainnet",
       .genesis_hash = Genesis("12a765e31ffd4059bada1e25190f6e98c99d9714d334efa41a195a7e7e04bfe2"),
       .addresses = {0x30, 0x32, "ltc"},
       .block_format = {.tx = {.litecoin_mweb = true}, .trailing_extension = true},
       .node_rpc_port = 9332});
  return coins;
}

const std::vector<CoinParams>& Table() {
  static const std::vector<CoinParams>* const table = new std::vector<CoinParams>(BuildTable());
  return *table;
}

}  // namespace

const std::vector<const CoinParams*>& AllCoins() {
  static const std::vector<const CoinParams*>* const all = [] {
    auto* pointers = new std::vector<const CoinParams*>();
    for (const CoinParams& coin : Table()) pointers->push_back(&coin);
    return pointers;
  }();
  return *all;
}

absl::StatusOr<const CoinParams*> FindCoin(std::string_view name, std::string_view network) {
  for (const CoinParams* coin : AllCoins()) {
    if (absl::AsciiStrToLower(std::string(coin->name)) ==
            absl::AsciiStrToLower(std::string(name)) &&
        coin->network == absl::AsciiStrToLower(std::string(network))) {
      return coin;
    }
  }
  std::string known;
  for (const CoinParams* coin : AllCoins()) {
    absl::StrAppend(&known, known.empty() ? "" : ", ", std::string(coin->name), "/",
                    std::string(coin->network));
  }
  return absl::NotFoundError(absl::StrCat("unknown coin ", std::string(name), "/",
                                          std::string(network), " (known: ", known, ")"));
}

const CoinParams& BitcoinMainnet() { return *FindCoin("Bitcoin", "mainnet").value(); }
const CoinParams& BitcoinRegtest() { return *FindCoin("Bitcoin", "regtest").value(); }

}  // namespace electrum::chain
