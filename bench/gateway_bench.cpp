// setpay-bench-gateway: AuthReq throughput of `setpay gateway` over HTTPS (N concurrent clients, TLS
// with client certificates, keep-alive) beside the same gateway code in process on 1 and T threads (on its
// own SQLite database, in group commits as the service runs it), measured in the same run on the same
// machine, with the machine's own 1 → T scaling for the gateway's signature. Every AuthReq is distinct
// (built beforehand by the in-process merchant and cardholder roles), so replay protection is not what
// is measured. `setpay-bench-gateway --help` lists the options.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <thread>

#include "cli/service_configs.hpp"
#include "gateway/payment_gateway.hpp"
#include "gateway/service/gateway_schema.hpp"
#include "gateway/service/group_commit.hpp"
#include "gateway/service/sqlite_gateway_store.hpp"
#include "gateway/service/sqlite_issuer.hpp"
#include "merchant/merchant.hpp"
#include "protocol/crypto/signer.hpp"
#include "protocol/pki/cardholder.hpp"
#include "protocol/pki/crl.hpp"
#include "protocol/pki/hierarchy.hpp"
#include "protocol/pki/pem.hpp"
#include "runtime/http_client.hpp"
#include "wallet-server/cardholder.hpp"

extern char** environ;

namespace {

using namespace setpay;
namespace fs = std::filesystem;
namespace pki = protocol::pki;
using Clock = std::chrono::steady_clock;
using protocol::Bytes;

constexpr const char* kPan = "4012888888881881";  // a well-known Luhn-valid test number

void write(const fs::path& p, const std::string& s) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << s;
}

struct Home {
  fs::path dir;
  protocol::AlgorithmProfile profile;
  pki::Hierarchy h;
  std::vector<protocol::ossl::Crl> crls;
};

Home makeHome(const fs::path& dir, protocol::ProfileId id) {
  protocol::SystemRandom random;
  protocol::SystemClock clock;
  Home home{dir, protocol::AlgorithmProfile::make(id), pki::mintHierarchy(pki::HierarchyOptions{}, protocol::AlgorithmProfile::make(id), random, clock), {}};
  const std::pair<const char*, const pki::Credential*> entities[] = {
      {"root", &home.h.root},         {"brand", &home.h.brand},       {"cca", &home.h.cca},
      {"mca", &home.h.mca},           {"pca", &home.h.pca},           {"merchant-sign", &home.h.merchantSignature},
      {"merchant-kex", &home.h.merchantKeyExchange}, {"gateway-sign", &home.h.gatewaySignature},
      {"gateway-kex", &home.h.gatewayKeyExchange}};
  for (const auto& [name, c] : entities) {
    write(dir / name / "cert.pem", protocol::ossl::toPem(c->cert.get()));
    write(dir / name / "key.pem", pki::privateKeyToPem(c->key.get()));
  }
  for (const auto& [name, c] : std::span(entities).first(5)) {
    home.crls.push_back(pki::issueCrl(*c, {}, 1, std::chrono::floor<std::chrono::seconds>(clock.now()), home.profile));
    write(dir / name / "crl.pem", pki::crlToPem(home.crls.back().get()));
  }
  cli::mintLoopbackTls(dir / "tls", {"gateway"}, {"merchant"});
  cli::GatewayConfigOptions o;
  o.port = 0;
  o.portFile = (dir / "gateway" / "port").string();
  o.logFile = (dir / "gateway" / "gateway.log").string();
  o.maxConnections = 1024;
  cli::writeGatewayConfig(dir, home.profile, o);
  return home;
}

pki::TrustAnchors trust(const Home& home) {
  pki::TrustAnchors t{pki::share(home.h.root.cert.get()), {}, {}};
  for (const auto* c : {&home.h.brand, &home.h.cca, &home.h.mca, &home.h.pca}) t.caCertificates.push_back(pki::share(c->cert.get()));
  for (const auto& c : home.crls) t.crls.push_back(pki::share(c.get()));
  return t;
}
pki::Credential copy(const pki::Credential& c) { return {pki::share(c.cert.get()), pki::share(c.key.get())}; }

// Distinct AuthReqs: run purchases whose gateway transport only records the AuthReq.
std::vector<Bytes> buildAuthReqs(const Home& home, int count) {
  protocol::SystemClock clock;
  protocol::SystemRandom random;
  std::vector<Bytes> out;
  merchant::InMemoryMerchantStore store;
  merchant::Merchant m(merchant::MerchantConfig{home.profile, home.profile.hardeningByDefault(), {"SETPAY"},
                                                "https://shop.example/set", "en", trust(home),
                                                copy(home.h.merchantSignature), copy(home.h.merchantKeyExchange),
                                                pki::share(home.h.gatewayKeyExchange.cert.get())},
                       store, clock, random);
  const merchant::Transport record = [&out](protocol::ByteView b) { out.emplace_back(b.begin(), b.end()); return Bytes{}; };
  const auto today = std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(clock.now()));
  const auto expiry = today.year() / today.month() + std::chrono::years(2);
  const auto holder = pki::issueCardholder(home.h.cca, {kPan, expiry, std::nullopt}, home.profile, random, clock);
  auto card = wallet::SoftwareCard::fromCardholder(holder, kPan, pki::formatCardExpiry(expiry));
  for (int i = 0; i < count; ++i) {
    wallet::Cardholder c(wallet::CardholderConfig{home.profile, home.profile.hardeningByDefault(), trust(home), "en",
                                                  "bench", std::nullopt},
                         card, clock, random);
    c.purchase(m.offer(merchant::Order{"bench item", {978, 100 + i % 100, -2}, std::nullopt}),
               [&](protocol::ByteView b) { return m.handle(b, record); });
  }
  return out;
}

void openAccount(const fs::path& dbFile, const Bytes& panKey) {
  auto db = gateway::openGatewayDatabase({dbFile, runtime::Durability::full});
  gateway::SqliteIssuer issuer(*db, panKey);
  runtime::WriteTransaction tx(*db);
  issuer.openAccount(kPan, {978, 1'000'000'000, -2}, {978, 1'000'000, -2}, std::nullopt);
  tx.commit();
}

Bytes panHashKey(const Home& home) {
  std::ifstream in(home.dir / "gateway" / "pan-hash.key");
  std::string hex;
  in >> hex;
  return protocol::unhex(hex);
}

// The service's path minus HTTP and TLS, on `threads` workers as the service runs
// them (issue 13): prepare() in parallel, then group commits (gateway/service/group_commit.hpp).
// `run` names the run's own database.
double inProcess(const Home& home, const std::vector<Bytes>& requests, int threads, int run,
                 runtime::Durability durability, int& approved) {
  const fs::path dbFile = home.dir / ("inprocess-" + std::to_string(threads) + "-" + std::to_string(run) + ".db");
  openAccount(dbFile, panHashKey(home));
  auto db = gateway::openGatewayDatabase({dbFile, durability});
  gateway::SqliteGatewayStore store(*db);
  gateway::SqliteIssuer issuer(*db, panHashKey(home));
  protocol::SystemClock clock;
  protocol::SystemRandom random;
  gateway::GatewayConfig g{home.profile, home.profile.hardeningByDefault(), true, "SETPAY",
                           pki::share(home.h.root.cert.get()), {}, {}, copy(home.h.gatewaySignature),
                           copy(home.h.gatewayKeyExchange)};
  for (const auto* c : {&home.h.brand, &home.h.cca, &home.h.mca, &home.h.pca}) g.caCertificates.push_back(pki::share(c->cert.get()));
  for (const auto& c : home.crls) g.crls.push_back(pki::share(c.get()));
  g.merchantKeyExchangeCertificates.push_back(pki::share(home.h.merchantKeyExchange.cert.get()));
  gateway::PaymentGateway gw(std::move(g), store, issuer, clock, random);
  gateway::GroupCommit commits(gw, *db, store);
  std::atomic<std::size_t> next{0};
  std::atomic<int> ok{0};
  const auto start = Clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([&] {
      for (std::size_t i = next++; i < requests.size(); i = next++) ok += commits.handle(requests[i]).notes.authorized;
    });
  for (auto& w : workers) w.join();
  approved = ok.load();

  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The machine's own scaling, the reference for the gateway's: the gateway's signature (its key, the
// profile's digest) for `seconds` on 1 thread, then on `threads`; each thread its own signer, as each
// of the gateway's workers takes its own signing context. Ratio of the rates.
double signatureScaling(const Home& home, int threads, double seconds) {
  const Bytes digest(32, 0x5a);
  auto rate = [&](int n) {
    std::atomic<long> count{0};
    std::vector<std::thread> pool;
    const auto end = Clock::now() + std::chrono::duration<double>(seconds);
    for (int t = 0; t < n; ++t)
      pool.emplace_back([&] {
        protocol::SoftwareSigner signer(pki::share(home.h.gatewaySignature.cert.get()),
                                        pki::share(home.h.gatewaySignature.key.get()));
        long k = 0;
        for (; Clock::now() < end; ++k) (void)signer.signDigest(EVP_sha256(), digest);
        count += k;
      });
    for (auto& t : pool) t.join();
    return static_cast<double>(count.load()) / seconds;
  };
  const double one = rate(1);
  return rate(threads) / one;
}

struct Percentiles {
  double p50, p99;
};
Percentiles percentiles(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  auto at = [&](double q) { return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))]; };
  return {at(0.50), at(0.99)};
}

}  // namespace

int main(int argc, char** argv) {
  std::string profile = "modern", setpay = SETPAY_BUILT_BINARY;
  bool inProcessOnly = false;
  runtime::Durability durability = runtime::Durability::full;  // normal: no fsync per commit (CPU-bound)
  int clients = 8, requests = 400, threads = 2, repeat = 1;
  std::string durabilityName = "full";
  CLI::App app{"setpay-bench-gateway: AuthReqs per second, in process on 1 and T threads, then the service over HTTPS"};
  app.add_option("--profile", profile, "modern or set1")->check(CLI::IsMember({"modern", "set1"}));
  app.add_option("--clients", clients, "HTTPS keep-alive clients")->check(CLI::Range(1, 1000000));
  app.add_option("--requests", requests, "distinct AuthReqs per run")->check(CLI::Range(1, 1000000));
  app.add_option("--threads", threads, "gateway threads of the in-process run")->check(CLI::Range(1, 1000000));
  app.add_option("--durability", durabilityName, "SQLite: full (fsync per commit) or normal (CPU only)")
      ->check(CLI::IsMember({"full", "normal"}));
  app.add_option("--repeat", repeat, "in-process runs of each thread count (the best is reported)")
      ->check(CLI::Range(1, 100));
  app.add_flag("--in-process-only", inProcessOnly, "skip the service over HTTPS");
  app.add_option("--setpay", setpay, "the setpay binary to run as the service");
  CLI11_PARSE(app, argc, argv);
  if (durabilityName == "normal") durability = runtime::Durability::normal;
  const auto id = protocol::AlgorithmProfile::parse(profile);
  if (!id || requests < clients) return std::fprintf(stderr, "--requests must be at least --clients\n"), 2;
  char tmpl[] = "/tmp/setpay-bench-gateway-XXXXXX";
  const fs::path dir = ::mkdtemp(tmpl);
  std::printf("profile %s, %d AuthReqs, %d HTTPS clients; work dir %s\n", profile.c_str(), requests, clients, dir.c_str());
  const Home home = makeHome(dir, *id);
  auto t0 = Clock::now();
  // Two sets: the in-process run and the service each see AuthReqs they have never seen.
  const std::vector<Bytes> forInProcess = buildAuthReqs(home, requests);
  const std::vector<Bytes> forService = buildAuthReqs(home, requests);
  std::printf("built %zu + %zu AuthReqs in %.1f s\n", forInProcess.size(), forService.size(),
              std::chrono::duration<double>(Clock::now() - t0).count());

  // In process on 1 thread, then on `threads`, `repeat` times alternating (each run on a new database,
  // so every AuthReq is new to it); the best rate of each, since a shared machine only ever slows a run.
  int approvedInProcess = 0, approvedParallel = 0;
  double inProcessRate = 0, parallelRate = 0;
  for (int r = 0; r < repeat; ++r) {
    // Run numbers 2r and 2r+1: each run its own database, also with --threads 1.
    inProcessRate =
        std::max(inProcessRate, requests / inProcess(home, forInProcess, 1, 2 * r, durability, approvedInProcess));
    parallelRate =
        std::max(parallelRate, requests / inProcess(home, forInProcess, threads, 2 * r + 1, durability, approvedParallel));
  }

  const double machineScaling = signatureScaling(home, threads, 2.0);
  if (inProcessOnly) {
    std::printf("in-process (SQLite, %s), 1 thread: %8.1f AuthReq/s  (%d approved of %d)\n", durabilityName.c_str(),
                inProcessRate, approvedInProcess, requests);
    std::printf("in-process, %d threads:                 %8.1f AuthReq/s  (%d approved of %d)  %.2fx the 1-thread rate\n",
                threads, parallelRate, approvedParallel, requests, parallelRate / inProcessRate);
    std::printf("the machine: the gateway's signature on %d threads at %.2fx its 1-thread rate (same run)\n", threads,
                machineScaling);
    std::error_code ec;
    fs::remove_all(dir, ec);
    return 0;
  }
  openAccount(dir / "gateway" / "gateway.db", panHashKey(home));
  std::vector<std::string> args{setpay, "gateway", "--config", (dir / "gateway.toml").string()};
  std::vector<char*> argvChild;
  for (auto& a : args) argvChild.push_back(a.data());
  argvChild.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, setpay.c_str(), nullptr, nullptr, argvChild.data(), environ) != 0)
    return std::fprintf(stderr, "cannot start %s\n", setpay.c_str()), 1;
  while (!fs::exists(dir / "gateway" / "port")) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::ifstream portIn(dir / "gateway" / "port");
  int port = 0;
  portIn >> port;
  const std::string url = "https://127.0.0.1:" + std::to_string(port) + "/set";
  runtime::ClientOptions co;
  co.caFile = dir / "tls" / "ca.pem";
  co.clientCertificate = dir / "tls" / "merchant-client.pem";
  co.clientKey = dir / "tls" / "merchant-client-key.pem";
  {
    runtime::HttpClient probe(co);
    for (int i = 0; i < 500; ++i) {
      try {
        if (probe.getSync("https://127.0.0.1:" + std::to_string(port) + "/readyz").status == 200) break;
      } catch (const runtime::TransportError&) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  std::atomic<int> next{0}, approvedHttps{0}, failed{0};
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(clients));
  std::vector<std::thread> clientThreads;
  const auto start = Clock::now();
  for (int c = 0; c < clients; ++c)
    clientThreads.emplace_back([&, c] {
      runtime::HttpClient client(co);  // one keep-alive connection per simulated merchant
      for (int i = next++; i < requests; i = next++) {
        const auto t = Clock::now();
        try {
          const auto r = client.postSync(url, "application/set-payment", protocol::toString(forService[static_cast<std::size_t>(i)]));
          if (r.status != 200) ++failed;
        } catch (const runtime::TransportError&) {
          ++failed;
        }
        latencies[static_cast<std::size_t>(c)].push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
      }
    });
  for (auto& t : clientThreads) t.join();
  const double httpsSeconds = std::chrono::duration<double>(Clock::now() - start).count();
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  {
    auto db = gateway::openGatewayDatabase({dir / "gateway" / "gateway.db", runtime::Durability::full});
    auto s = db->statement("SELECT COUNT(*) FROM authorizations");
    s.step();
    approvedHttps = static_cast<int>(s.integer(0));
  }
  std::vector<double> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  const auto p = percentiles(all);
  const double httpsRate = requests / httpsSeconds;
  std::printf("in-process (SQLite, %s), 1 thread: %8.1f AuthReq/s  (%d approved of %d)\n", durabilityName.c_str(),
              inProcessRate, approvedInProcess, requests);
  std::printf("in-process, %d threads:                %8.1f AuthReq/s  (%d approved of %d)  %.2fx the 1-thread rate\n",
              threads, parallelRate, approvedParallel, requests, parallelRate / inProcessRate);
  std::printf("the machine: the gateway's signature on %d threads at %.2fx its 1-thread rate (same run)\n", threads,
              machineScaling);
  std::printf("HTTPS, %2d clients:                   %8.1f AuthReq/s  p50 %.2f ms  p99 %.2f ms  (%d approved, %d failed)\n",
              clients, httpsRate, p.p50, p.p99, approvedHttps.load(), failed.load());
  std::printf("HTTPS / in-process: %.0f%%   (gateway exit status %d)\n", 100.0 * httpsRate / inProcessRate,
              WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  std::error_code ec;
  fs::remove_all(dir, ec);
  return 0;
}
