// APDU round trips through the real pcscd + vpcd: GET DATA (PAN) N times and VERIFY + PSO:CDS
// (ECDSA P-256), against the virtual card with TCP_QUICKACK (as shipped) and without (to show
// the ~40 ms Nagle/delayed-ACK stall of Debian's vpcd). Run under scripts/with-virtual-pcsc.sh.
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "pcsc/card_application.hpp"
#include "pcsc/payment_card.hpp"
#include "pcsc/vpcd_card.hpp"
#include "protocol/openssl.hpp"

namespace {

using namespace setpay;
namespace ossl = protocol::ossl;
using Clock = std::chrono::steady_clock;

pcsc::CardPersonalisation personalisation() {
  pcsc::CardPersonalisation p;
  p.pan = "4111111111111111";
  p.expiry = "202812";
  p.name = "BENCH";
  p.panSecret = protocol::Bytes(16, 0x42);
  p.pin = "1234";
  p.profile = "modern";
  p.key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  p.certificate.reset(X509_new());
  X509_set_version(p.certificate.get(), 2);
  X509_gmtime_adj(X509_getm_notBefore(p.certificate.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(p.certificate.get()), 3600);
  X509_set_pubkey(p.certificate.get(), p.key.get());
  X509_sign(p.certificate.get(), p.key.get(), EVP_sha256());
  return p;
}

struct Stats {
  double median, p90, mean;
};

Stats stats(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  double sum = 0;
  for (double v : ms) sum += v;
  return {ms[ms.size() / 2], ms[ms.size() * 9 / 10], sum / static_cast<double>(ms.size())};
}

template <class F>
std::vector<double> timed(std::size_t n, F&& f) {
  std::vector<double> ms;
  ms.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto t0 = Clock::now();
    f();
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  return ms;
}

void run(bool quickAck, std::size_t n, std::uint16_t port, const std::string& reader) {
  pcsc::VirtualCard card(personalisation());
  pcsc::VpcdOptions options;
  options.port = port;
  options.quickAck = quickAck;
  options.reconnect = false;
  pcsc::VpcdCard link(card, options);
  std::jthread thread([&](std::stop_token stop) { link.run(stop); });
  {
    const pcsc::Context ctx;
    ctx.waitForCard(reader, std::chrono::seconds(5));
    pcsc::CardConnection conn(ctx, reader);
    pcsc::PaymentCard payment(conn);
    payment.select();
    const pcsc::Apdu getPan{0x00, pcsc::app::ins::getData, 0x00, 0x5A, {}, pcsc::maxShortLe};
    const Stats get = stats(timed(n, [&] { conn.transmitOk(getPan, "GET DATA"); }));
    const protocol::Bytes digest(32, 0x5A);
    const Stats sign = stats(timed(std::max<std::size_t>(n / 10, 5), [&] {
      payment.verifyPin("1234");
      payment.computeDigitalSignature(digest);
    }));
    std::printf("%-13s GET DATA x%-5zu median %8.3f ms  p90 %8.3f ms  mean %8.3f ms\n",
                quickAck ? "quickack" : "no-quickack", n, get.median, get.p90, get.mean);
    std::printf("%-13s VERIFY+PSO:CDS (ECDSA) median %8.3f ms  p90 %8.3f ms\n", quickAck ? "quickack" : "no-quickack",
                sign.median, sign.p90);
  }
  thread.request_stop();
  thread.join();
  const pcsc::Context ctx;
  ctx.waitForNoCard(reader, std::chrono::seconds(5));
}

}  // namespace

int main(int argc, char** argv) {
  const char* port = std::getenv("VPCD_PORT");
  const char* reader = std::getenv("VPCD_READER0");
  if (!std::getenv("PCSCLITE_CSOCK_NAME") || !port || !reader) {
    std::fprintf(stderr, "run under scripts/with-virtual-pcsc.sh\n");
    return 2;
  }
  const std::size_t n = argc > 1 ? std::stoul(argv[1]) : 1000;
  const std::size_t slowN = argc > 2 ? std::stoul(argv[2]) : 50;
  try {
    run(true, n, static_cast<std::uint16_t>(std::stoi(port)), reader);
    run(false, slowN, static_cast<std::uint16_t>(std::stoi(port)), reader);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "setpay-bench-apdu: %s\n", e.what());
    return 1;
  }
  return 0;
}
