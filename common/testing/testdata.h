// Access to the real-world test vectors in testdata/ (see its README; tests
// declare //testdata as data) from tests.
#ifndef ELECTRUM_COMMON_TESTING_TESTDATA_H_
#define ELECTRUM_COMMON_TESTING_TESTDATA_H_

#include <string>
#include <vector>

#include "common/chain/bytes.h"
#include "nlohmann/json.hpp"

namespace electrum::testing {

// Absolute path of `relative` under testdata/ in the test's runfiles.
std::string TestDataPath(const std::string& relative);

// File contents; aborts the test binary with a message when unreadable, so
// a missing vector can never pass silently.
std::string ReadTestData(const std::string& relative);
nlohmann::json ReadTestJson(const std::string& relative);

// Hex to bytes; aborts on malformed hex (test data is trusted to be hex).
chain::Bytes HexBytes(const std::string& hex);

// Names of files in a testdata directory, sorted.
std::vector<std::string> ListTestData(const std::string& directory);

}  // namespace electrum::testing

#endif  // ELECTRUM_COMMON_TESTING_TESTDATA_H_
