// simnode's persistence: an append-only log of accepted blocks and of
// invalidate/reconsider operations in the data directory. Replaying it
// rebuilds the same block tree and active chain after a restart. A record cut
// short by a crash is dropped (and truncated away) on open. Records are read
// back by offset when a block is no longer held in memory (chain.h).
#ifndef ELECTRUM_TOOLS_SIMNODE_BLOCK_STORE_H_
#define ELECTRUM_TOOLS_SIMNODE_BLOCK_STORE_H_

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/chain/bytes.h"

namespace electrum::simnode {

enum class StoreRecord : uint8_t { kBlock = 'B', kInvalidate = 'I', kReconsider = 'R' };

class BlockStore {
 public:
  // Where a record's payload lies in the log.
  struct Location {
    int64_t offset = 0;
    uint32_t size = 0;
  };
  using ReplayFn = std::function<absl::Status(StoreRecord, chain::Bytes, Location)>;

  // Opens (creating) <directory>/chain.log and replays it through `replay`.
  static absl::StatusOr<std::unique_ptr<BlockStore>> Open(const std::string& directory,
                                                          const ReplayFn& replay);
  ~BlockStore();

  // Appends and flushes to the OS (survives a process kill; not fsynced).
  absl::StatusOr<Location> Append(StoreRecord type, chain::ByteSpan payload);

  // A payload written earlier (DATA_LOSS if the log is shorter).
  absl::StatusOr<chain::Bytes> Read(Location location) const;

 private:
  explicit BlockStore(std::FILE* file) : file_(file) {}
  std::FILE* file_;
};

}  // namespace electrum::simnode

#endif  // ELECTRUM_TOOLS_SIMNODE_BLOCK_STORE_H_
