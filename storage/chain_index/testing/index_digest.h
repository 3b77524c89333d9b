// For tests: the whole chain index as ordered text, so two indexes can be
// compared for equality.
#ifndef ELECTRUM_STORAGE_CHAIN_INDEX_TESTING_INDEX_DIGEST_H_
#define ELECTRUM_STORAGE_CHAIN_INDEX_TESTING_INDEX_DIGEST_H_

#include <string>

namespace pqxx {
class connection_base;
}  // namespace pqxx

namespace electrum::storage {

std::string IndexDigest(pqxx::connection_base& connection);

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_CHAIN_INDEX_TESTING_INDEX_DIGEST_H_
