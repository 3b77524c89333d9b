// A real gRPC round trip over a loopback socket: a server on port 0 runs a
// generated service, a client calls it, and errors cross the wire through the
// one absl <-> gRPC status mapping in both directions.
#include <memory>
#include <string>

#include "common/grpc/status_conversion.h"
#include "electrum/v1/blockchain.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

namespace electrum {
namespace {

const std::string kKnownTxid(32, '\x11');
const std::string kKnownRaw = "\x01\x00\x00\x00";

// Answers from fixed data and reports errors as absl::Status, converted once.
class FixedBlockchainService final : public v1::BlockchainService::Service {
 public:
  grpc::Status GetTip(grpc::ServerContext*, const v1::GetTipRequest*,
                      v1::GetTipResponse* response) override {
    response->mutable_tip()->set_height(7);
    response->mutable_tip()->set_hash(std::string(32, '\x07'));
    return grpc::Status::OK;
  }

  grpc::Status GetTransaction(grpc::ServerContext*, const v1::GetTransactionRequest* request,
                              v1::GetTransactionResponse* response) override {
    return ToGrpcStatus(Lookup(request->txid(), response));
  }

 private:
  static absl::Status Lookup(const std::string& txid, v1::GetTransactionResponse* response) {
    if (txid.size() != 32) {
      return absl::InvalidArgumentError("txid must be 32 bytes, got " +
                                        std::to_string(txid.size()));
    }
    if (txid != kKnownTxid) return absl::NotFoundError("no such transaction");
    response->set_raw(kKnownRaw);
    return absl::OkStatus();
  }
};

class GrpcRoundTripTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port_, 0);
    auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port_),
                                       grpc::InsecureChannelCredentials());
    stub_ = v1::BlockchainService::NewStub(channel);
  }

  void TearDown() override { server_->Shutdown(); }

  absl::Status CallGetTransaction(const std::string& txid, v1::GetTransactionResponse* response) {
    grpc::ClientContext context;
    v1::GetTransactionRequest request;
    request.set_txid(txid);
    return FromGrpcStatus(stub_->GetTransaction(&context, request, response));
  }

  FixedBlockchainService service_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::BlockchainService::Stub> stub_;
};

TEST_F(GrpcRoundTripTest, UnaryCallReturnsServerData) {
  grpc::ClientContext context;
  v1::GetTipResponse response;
  grpc::Status status = stub_->GetTip(&context, v1::GetTipRequest(), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.tip().height(), 7u);
  EXPECT_EQ(response.tip().hash(), std::string(32, '\x07'));
}

TEST_F(GrpcRoundTripTest, FoundTransactionComesBack) {
  v1::GetTransactionResponse response;
  ASSERT_TRUE(CallGetTransaction(kKnownTxid, &response).ok());
  EXPECT_EQ(response.raw(), kKnownRaw);
}

TEST_F(GrpcRoundTripTest, NotFoundCrossesTheWireAsNotFound) {
  v1::GetTransactionResponse response;
  absl::Status status = CallGetTransaction(std::string(32, '\x22'), &response);
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "no such transaction");
}

TEST_F(GrpcRoundTripTest, InvalidArgumentKeepsItsMessage) {
  v1::GetTransactionResponse response;
  absl::Status status = CallGetTransaction("short", &response);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "txid must be 32 bytes, got 5");
}

TEST_F(GrpcRoundTripTest, UnimplementedMethodIsUnimplemented) {
  grpc::ClientContext context;
  v1::GetRelayFeeResponse response;
  absl::Status status =
      FromGrpcStatus(stub_->GetRelayFee(&context, v1::GetRelayFeeRequest(), &response));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnimplemented);
}

TEST_F(GrpcRoundTripTest, DeadlineIsHonouredByTheClient) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() - std::chrono::seconds(1));
  v1::GetTipResponse response;
  absl::Status status = FromGrpcStatus(stub_->GetTip(&context, v1::GetTipRequest(), &response));
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded);
}

}  // namespace
}  // namespace electrum
