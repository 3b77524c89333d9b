#include "common/testing/testdata.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/crypto/hex.h"

namespace electrum::testing {
namespace {

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "testdata: %s\n", message.c_str());
  std::abort();
}

}  // namespace

std::string TestDataPath(const std::string& relative) {
  const char* runfiles = std::getenv("TEST_SRCDIR");
  if (runfiles == nullptr) Die("TEST_SRCDIR is not set; run tests through bazel test");
  // The vectors live in this repository's testdata/ (the //testdata filegroup).
  const char* workspace = std::getenv("TEST_WORKSPACE");
  return std::string(runfiles) + "/" + (workspace != nullptr ? workspace : "electrum_server") +
         "/testdata/" + relative;
}

std::string ReadTestData(const std::string& relative) {
  std::ifstream file(TestDataPath(relative), std::ios::binary);
  if (!file) Die("cannot read " + TestDataPath(relative));
  std::ostringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

nlohmann::json ReadTestJson(const std::string& relative) {
  return nlohmann::json::parse(ReadTestData(relative));
}

chain::Bytes HexBytes(const std::string& hex) {
  auto bytes = FromHex(hex);
  if (!bytes.ok()) Die("bad hex in test data: " + std::string(bytes.status().message()));
  return *bytes;
}

std::vector<std::string> ListTestData(const std::string& directory) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(TestDataPath(directory))) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  if (names.empty()) Die("no files in " + TestDataPath(directory));
  return names;
}

}  // namespace electrum::testing
