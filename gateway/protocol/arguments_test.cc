#include "gateway/protocol/arguments.h"

#include "gtest/gtest.h"

namespace electrum::gateway {
namespace {

using nlohmann::json;

const ParameterList kHeader{{"height", "cp_height"}, 1};
const ParameterList kVersion{{"client_name", "protocol_version"}, 0, /*ignore_extra=*/true};

std::string ErrorOf(const ParameterList& parameters, const json& params,
                    const std::string& method = "blockchain.block.header") {
  auto bound = BindArguments(method, parameters, params);
  EXPECT_FALSE(bound.ok());
  EXPECT_EQ(bound.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(bound.status().message());
}

TEST(ArgumentsTest, BindsPositionalAndNamedArguments) {
  EXPECT_EQ(*BindArguments("m", kHeader, json::array({5})), (std::vector<json>{5, nullptr}));
  EXPECT_EQ(*BindArguments("m", kHeader, json::array({5, 9})), (std::vector<json>{5, 9}));
  EXPECT_EQ(*BindArguments("m", kHeader, json({{"cp_height", 9}, {"height", 5}})),
            (std::vector<json>{5, 9}));
  EXPECT_EQ(*BindArguments("server.version", kVersion, json::array({"x", "1.4", "extra", 3})),
            (std::vector<json>{"x", "1.4"}));
  EXPECT_EQ(*BindArguments("server.version", kVersion, json({{"other", 1}})),
            (std::vector<json>{nullptr, nullptr}));
}

// aiorpcX's texts (spec §1.5).
TEST(ArgumentsTest, WrongArityAndNamesSayWhatWasExpected) {
  EXPECT_EQ(ErrorOf(kHeader, json::array()),
            "0 arguments passed to method \"blockchain.block.header\" but it requires 1");
  EXPECT_EQ(ErrorOf(kHeader, json::array({1, 2, 3})),
            "3 arguments passed to method blockchain.block.header taking at most 2");
  EXPECT_EQ(ErrorOf(ParameterList{{"a", "b"}, 2}, json::array({1}), "m"),
            "1 argument passed to method \"m\" but it requires 2");
  EXPECT_EQ(ErrorOf(ParameterList{{"b", "a"}, 2}, json::object(), "m"),
            "method \"m\" requires parameters \"a\", \"b\"");
  EXPECT_EQ(ErrorOf(kHeader, json({{"cp_height", 1}})),
            "method \"blockchain.block.header\" requires parameter \"height\"");
  EXPECT_EQ(ErrorOf(kHeader, json({{"height", 1}, {"zz", 2}, {"aa", 3}})),
            "method \"blockchain.block.header\" does not take parameters \"aa\", \"zz\"");
}

}  // namespace
}  // namespace electrum::gateway
