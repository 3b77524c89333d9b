// A 32-byte bytea column as one of the chain's hash types (serialization
// byte order, as every table stores hashes). All zero when the length is
// wrong: the schema's CHECK constraints make that a can't-happen.
#ifndef ELECTRUM_STORAGE_PG_HASH_FIELD_H_
#define ELECTRUM_STORAGE_PG_HASH_FIELD_H_

#include <algorithm>
#include <array>

#include "common/chain/hash_types.h"
#include "pqxx/pqxx"

namespace electrum::storage {

template <typename Hash>
Hash HashFromField(const pqxx::field& field) {
  pqxx::binarystring bytes(field);
  std::array<uint8_t, 32> internal{};
  if (bytes.size() == internal.size()) std::copy(bytes.begin(), bytes.end(), internal.begin());
  return Hash(internal);
}

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_PG_HASH_FIELD_H_
