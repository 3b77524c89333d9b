// The gateway's balance, unspent, history and status requests to the
// history service, coalesced across sessions into GetBalances,
// ListUnspents, GetHistories and GetStatuses calls (CallCoalescer). Keys are 32-byte internal-order
// script hashes.
#ifndef ELECTRUM_GATEWAY_UPSTREAM_ADDRESS_BATCHES_H_
#define ELECTRUM_GATEWAY_UPSTREAM_ADDRESS_BATCHES_H_

#include <cstdint>

#include "electrum/v1/history.grpc.pb.h"
#include "gateway/upstream/call_coalescer.h"

namespace electrum::gateway {

class AddressBatches {
 public:
  // `history` outlives this; `max_history_entries` is every GetHistories
  // call's max_entries.
  AddressBatches(v1::AddressHistoryService::StubInterface* history, CoalescerLimits limits,
                 uint32_t max_history_entries);

  CallCoalescer<v1::GetBalanceResponse>& balances() { return balances_; }
  CallCoalescer<v1::ListUnspentResponse>& unspents() { return unspents_; }
  CallCoalescer<v1::GetHistoryResponse>& histories() { return histories_; }
  CallCoalescer<v1::GetStatusResponse>& statuses() { return statuses_; }

 private:
  v1::AddressHistoryService::StubInterface* const history_;
  const uint32_t max_history_entries_;
  CallCoalescer<v1::GetBalanceResponse> balances_;
  CallCoalescer<v1::ListUnspentResponse> unspents_;
  CallCoalescer<v1::GetHistoryResponse> histories_;
  CallCoalescer<v1::GetStatusResponse> statuses_;
};

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_UPSTREAM_ADDRESS_BATCHES_H_
