// A JSON-RPC reply's text. nlohmann escapes a string character by
// character, which dominated simnode's CPU while serving blocks in hex.
#ifndef ELECTRUM_TOOLS_SIMNODE_REPLY_TEXT_H_
#define ELECTRUM_TOOLS_SIMNODE_REPLY_TEXT_H_

#include <string>

#include "nlohmann/json.hpp"

namespace electrum::simnode {

// reply.dump(), except that a long "result" string needing no escapes is
// copied in whole. Takes the result out of `reply`.
std::string ReplyText(nlohmann::json& reply);

}  // namespace electrum::simnode

#endif  // ELECTRUM_TOOLS_SIMNODE_REPLY_TEXT_H_
