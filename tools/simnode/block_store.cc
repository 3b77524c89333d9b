#include "tools/simnode/block_store.h"

#include <unistd.h>

#include <filesystem>
#include <memory>

#include "absl/strings/str_cat.h"

namespace electrum::simnode {
namespace {

// Largest record accepted on replay: well above any regtest block.
constexpr uint32_t kMaxRecordSize = 64 << 20;

}  // namespace

absl::StatusOr<std::unique_ptr<BlockStore>> BlockStore::Open(const std::string& directory,
                                                             const ReplayFn& replay) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error)
    return absl::UnavailableError(absl::StrCat("cannot create ", directory, ": ", error.message()));
  const std::string path = directory + "/chain.log";
  std::FILE* file = std::fopen(path.c_str(), "a+b");
  if (file == nullptr) return absl::UnavailableError(absl::StrCat("cannot open ", path));
  std::unique_ptr<BlockStore> store(new BlockStore(file));
  std::rewind(file);
  long good_end = 0;
  while (true) {
    uint8_t head[5];
    if (std::fread(head, 1, sizeof(head), file) != sizeof(head)) break;
    uint32_t size = head[1] | (head[2] << 8) | (head[3] << 16) | (uint32_t{head[4]} << 24);
    if (size > kMaxRecordSize) break;
    chain::Bytes payload(size);
    if (std::fread(payload.data(), 1, size, file) != size) break;
    const Location location{good_end + static_cast<int64_t>(sizeof(head)), size};
    absl::Status replayed = replay(static_cast<StoreRecord>(head[0]), std::move(payload), location);
    if (!replayed.ok()) {
      return absl::DataLossError(
          absl::StrCat(path, " at offset ", good_end, ": ", replayed.message()));
    }
    good_end = std::ftell(file);
  }
  // Drop a partial record left by a crash, so appends continue cleanly.
  std::fflush(file);
  if (ftruncate(fileno(file), good_end) != 0) {
    return absl::UnavailableError(absl::StrCat("cannot truncate ", path));
  }
  std::fseek(file, 0, SEEK_END);
  return store;
}

BlockStore::~BlockStore() { std::fclose(file_); }

absl::StatusOr<BlockStore::Location> BlockStore::Append(StoreRecord type, chain::ByteSpan payload) {
  uint32_t size = static_cast<uint32_t>(payload.size());
  const int64_t start = std::ftell(file_);
  uint8_t head[5] = {static_cast<uint8_t>(type), static_cast<uint8_t>(size),
                     static_cast<uint8_t>(size >> 8), static_cast<uint8_t>(size >> 16),
                     static_cast<uint8_t>(size >> 24)};
  if (std::fwrite(head, 1, sizeof(head), file_) != sizeof(head) ||
      std::fwrite(payload.data(), 1, payload.size(), file_) != payload.size() ||
      std::fflush(file_) != 0) {
    return absl::UnavailableError("cannot write the chain log");
  }
  return Location{start + static_cast<int64_t>(sizeof(head)), size};
}

absl::StatusOr<chain::Bytes> BlockStore::Read(Location location) const {
  chain::Bytes payload(location.size);
  size_t done = 0;
  while (done < payload.size()) {
    const ssize_t got = pread(fileno(file_), payload.data() + done, payload.size() - done,
                              static_cast<off_t>(location.offset + static_cast<int64_t>(done)));
    if (got <= 0) {
      return absl::DataLossError(absl::StrCat("the chain log has no record of ", location.size,
                                              " bytes at offset ", location.offset));
    }
    done += static_cast<size_t>(got);
  }
  return payload;
}

}  // namespace electrum::simnode
