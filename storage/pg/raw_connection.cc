#include "storage/pg/raw_connection.h"

#include "pqxx/pqxx"

namespace electrum::storage {
namespace {

// libpqxx keeps connection_base::raw_connection() private (its large-object
// code reaches it through a friend gate). An explicit template
// instantiation may name a private member, so this one stores a pointer to
// it before main() runs.
using Getter = pqxx::internal::pq::PGconn* (pqxx::connection_base::*)() const;

struct RawConnectionGetter {
  static inline Getter getter = nullptr;
};

template <Getter member>
struct StoreGetter {
  static inline const bool stored = (RawConnectionGetter::getter = member, true);
};

}  // namespace

template struct StoreGetter<&pqxx::connection_base::raw_connection>;

PGconn* RawConnectionOf(pqxx::connection_base& connection) {
  return reinterpret_cast<PGconn*>((connection.*RawConnectionGetter::getter)());
}

}  // namespace electrum::storage
