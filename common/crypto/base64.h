// Base64 (RFC 4648, with padding), as HTTP basic authentication uses it.
#ifndef ELECTRUM_COMMON_CRYPTO_BASE64_H_
#define ELECTRUM_COMMON_CRYPTO_BASE64_H_

#include <string>
#include <string_view>

namespace electrum {

std::string Base64Encode(std::string_view plain);

}  // namespace electrum

#endif  // ELECTRUM_COMMON_CRYPTO_BASE64_H_
