// A real radclient (freeradius-utils) against a loopback UDP listener that uses our decoder, checker
// and encoder: it must accept our Accounting-Responses and refuse one made with the wrong secret, and
// we must not answer a request made with the wrong secret or from outside the access networks.
// Bounded: radclient -r 1 -t 3, a free port chosen by the kernel, the listener stopped in the test.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstring>
#include <functional>
#include <mutex>
#include <thread>

#include "redirector/accounting.hpp"
#include "redirector/radius.hpp"
#include "tests/support/scratch.hpp"

namespace setpay::redirector {
namespace {

const char* const secret = "s3cr3t-setpay";

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// UDP on 127.0.0.1, kernel-chosen port; every datagram goes to `handler` on the listener's thread.
class UdpListener {
 public:
  using Handler = std::function<std::optional<protocol::Bytes>(protocol::ByteView, const IpAddress&)>;

  explicit UdpListener(Handler handler) : socket_(::socket(AF_INET, SOCK_DGRAM, 0)), handler_(std::move(handler)) {
    if (socket_.get() < 0) throw std::runtime_error("socket");
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    if (::bind(socket_.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("bind");
    socklen_t len = sizeof a;
    if (::getsockname(socket_.get(), reinterpret_cast<sockaddr*>(&a), &len) != 0) throw std::runtime_error("getsockname");
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~UdpListener() {
    stop_ = true;
    thread_.join();
  }
  UdpListener(const UdpListener&) = delete;
  UdpListener& operator=(const UdpListener&) = delete;

  int port() const { return port_; }
  int received() const { return received_; }

 private:
  void run() {
    while (!stop_) {
      pollfd p{socket_.get(), POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      std::uint8_t buf[radius::packetMax + 1];
      sockaddr_in from{};
      socklen_t len = sizeof from;
      const auto n = ::recvfrom(socket_.get(), buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
      if (n < 0) continue;
      ++received_;
      std::array<std::uint8_t, 4> octets{};
      std::memcpy(octets.data(), &from.sin_addr.s_addr, 4);
      const auto reply = handler_(protocol::ByteView(buf, static_cast<std::size_t>(n)), IpAddress::v4(octets));
      if (reply)
        ::sendto(socket_.get(), reply->data(), reply->size(), 0, reinterpret_cast<sockaddr*>(&from), len);
    }
  }

  FileDescriptor socket_;
  Handler handler_;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> received_{0};
  std::thread thread_;
};

// The accounting service as the redirector will run it: a lock around the table.
struct Service {
  AccountingConfig config;
  MsisdnTable table;
  std::mutex lock;
  std::vector<AccountingOutcome> outcomes;

  std::optional<protocol::Bytes> operator()(protocol::ByteView datagram, const IpAddress& from) {
    const std::lock_guard<std::mutex> guard(lock);
    auto r = handleAccounting(datagram, from, config, table);
    outcomes.push_back(r.outcome);
    return r.response;
  }
  std::optional<protocol::Msisdn> find(const char* address) {
    const std::lock_guard<std::mutex> guard(lock);
    return table.find(*IpAddress::parse(address));
  }
};

test_support::CommandResult radclient(int port, const std::string& attributes, const std::string& sharedSecret) {
  return test_support::captureCommand("echo " + test_support::shellQuote(attributes) + " | radclient -r 1 -t 3 127.0.0.1:" +
                                      std::to_string(port) + " acct " + test_support::shellQuote(sharedSecret) + " 2>&1");
}

const std::string start =
    "Acct-Status-Type = Start, Framed-IP-Address = 127.0.0.5, Calling-Station-Id = \"33612345678\", "
    "Acct-Session-Id = \"setpay-0001\"";
const std::string stop =
    "Acct-Status-Type = Stop, Framed-IP-Address = 127.0.0.5, Calling-Station-Id = \"33612345678\", "
    "Acct-Session-Id = \"setpay-0001\"";

TEST(Radclient, StartThenStopAreAnsweredAndLearnt) {
  Service service{AccountingConfig{{AccessNetwork{*Cidr::parse("127.0.0.0/8"), secret}}}, MsisdnTable(), {}, {}};
  UdpListener listener(std::ref(service));
  const auto s = radclient(listener.port(), start, secret);
  EXPECT_EQ(s.status, 0) << s.output;
  EXPECT_NE(s.output.find("Received Accounting-Response Id"), std::string::npos) << s.output;
  ASSERT_TRUE(service.find("127.0.0.5"));
  EXPECT_EQ(service.find("127.0.0.5")->e164(), "+33612345678");

  const auto t = radclient(listener.port(), stop, secret);
  EXPECT_EQ(t.status, 0) << t.output;
  EXPECT_NE(t.output.find("Received Accounting-Response Id"), std::string::npos) << t.output;
  EXPECT_FALSE(service.find("127.0.0.5"));
}

TEST(Radclient, RefusesOurReplyWhenWeSignItWithTheWrongSecret) {
  UdpListener listener([](protocol::ByteView datagram, const IpAddress&) -> std::optional<protocol::Bytes> {
    const auto request = radius::decodeAccountingRequest(datagram);
    return radius::encodeAccountingResponse(request, "not-the-secret");
  });
  const auto r = radclient(listener.port(), start, secret);
  EXPECT_NE(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("Reply verification failed"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("invalid Response Authenticator"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("Received Accounting-Response Id"), std::string::npos) << r.output;  // the success line
  EXPECT_GE(listener.received(), 1);
}

TEST(Radclient, WrongSharedSecretGetsNoAnswer) {
  Service service{AccountingConfig{{AccessNetwork{*Cidr::parse("127.0.0.0/8"), "another-secret"}}}, MsisdnTable(), {}, {}};
  UdpListener listener(std::ref(service));
  const auto r = radclient(listener.port(), start, secret);
  EXPECT_NE(r.status, 0) << r.output;
  EXPECT_EQ(r.output.find("Received Accounting-Response"), std::string::npos) << r.output;
  EXPECT_FALSE(service.find("127.0.0.5"));
  const std::lock_guard<std::mutex> guard(service.lock);
  ASSERT_FALSE(service.outcomes.empty());
  EXPECT_EQ(service.outcomes.front(), AccountingOutcome::badAuthenticator);
}

TEST(Radclient, SenderOutsideTheAccessNetworksGetsNoAnswer) {
  Service service{AccountingConfig{{AccessNetwork{*Cidr::parse("10.0.0.0/8"), secret}}}, MsisdnTable(), {}, {}};
  UdpListener listener(std::ref(service));
  const auto r = radclient(listener.port(), start, secret);
  EXPECT_NE(r.status, 0) << r.output;
  EXPECT_FALSE(service.find("127.0.0.5"));
  const std::lock_guard<std::mutex> guard(service.lock);
  ASSERT_FALSE(service.outcomes.empty());
  EXPECT_EQ(service.outcomes.front(), AccountingOutcome::notFromAccessNetwork);
}

}  // namespace
}  // namespace setpay::redirector
