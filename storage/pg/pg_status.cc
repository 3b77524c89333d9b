#include "storage/pg/pg_status.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "pqxx/pqxx"

namespace electrum::storage {
absl::StatusCode CodeForSqlState(absl::string_view sqlstate) {
  // Class 08: connection exception; 57P0x: operator intervention (shutdown);
  // 53300: too many connections.
  if (absl::StartsWith(sqlstate, "08") || absl::StartsWith(sqlstate, "57P") ||
      sqlstate == "53300") {
    return absl::StatusCode::kUnavailable;
  }
  if (sqlstate == "40001" || sqlstate == "40P01") return absl::StatusCode::kAborted;
  // query_canceled: statement_timeout (set from a caller's deadline).
  if (sqlstate == "57014") return absl::StatusCode::kDeadlineExceeded;
  if (sqlstate == "23505") return absl::StatusCode::kAlreadyExists;
  if (absl::StartsWith(sqlstate, "23")) return absl::StatusCode::kFailedPrecondition;
  return absl::StatusCode::kInternal;
}

absl::Status StatusFromCurrentException(absl::string_view what) {
  try {
    throw;
  } catch (const pqxx::broken_connection& e) {
    return absl::UnavailableError(absl::StrCat(what, ": PostgreSQL unreachable: ", e.what()));
  } catch (const pqxx::sql_error& e) {
    return absl::Status(CodeForSqlState(e.sqlstate()),
                        absl::StrCat(what, ": PostgreSQL error ", e.sqlstate(), ": ", e.what()));
  } catch (const pqxx::in_doubt_error& e) {
    return absl::UnavailableError(
        absl::StrCat(what, ": connection lost during commit; outcome unknown: ", e.what()));
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat(what, ": ", e.what()));
  } catch (...) {
    return absl::InternalError(absl::StrCat(what, ": unknown exception"));
  }
}

}  // namespace electrum::storage
