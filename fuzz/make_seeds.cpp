// setpay-fuzz-seeds DIR: seed corpora for every fuzz target — the wrapper DER of every message vector
// (vectors/messages), the inner values those vectors are built from, and a wake-up message.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "protocol/messages/codec.hpp"
#include "protocol/wakeup/wakeup.hpp"
#include "tests/protocol/messages/message_vectors.hpp"
#include "tests/protocol/messages/samples.hpp"

namespace {

using namespace setpay;
using namespace setpay::protocol;

void write(const std::filesystem::path& dir, const std::string& target, const std::string& name, ByteView bytes) {
  std::filesystem::create_directories(dir / target);
  std::ofstream(dir / target / name, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

template <class T>
void seed(const std::filesystem::path& dir, const std::string& target, const std::string& name, const T& v) {
  write(dir, target, name, encode(v));
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc != 2) {
    std::cerr << "usage: setpay-fuzz-seeds DIR\n";
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  for (const auto& op : samples::messageVectorOperators())
    for (auto profile : {ProfileId::set1, ProfileId::modern})
      for (const auto& v : support::loadVectors(samples::messageVectorFile(op.name, profile)).vectors)
        write(dir, "MessageWrapper", v.id, v.expected("MessageWrapper"));
  for (auto id : {ProfileId::set1, ProfileId::modern}) {
    const AlgorithmProfile prof = AlgorithmProfile::make(id);
    const std::string p(prof.name());
    SeededRandom rng("fuzz-seeds-" + p);
    const HODInput hod = samples::hodInput(rng);
    const OIData oi = samples::oiData(prof, rng, hod);
    const PIHead head = samples::piHead(prof, rng, oi, hod);
    const PANData pan = samples::panData(rng);
    const AuthReqData ard = samples::authReqData(prof, rng, oi, hod);
    const CapReqData crd = samples::capReqData(rng, oi.transIDs);
    seed(dir, "PInitReq", p, samples::pInitReq(rng));
    seed(dir, "PInitResData", p, samples::pInitResData(prof, rng));
    seed(dir, "HODInput", p, hod);
    seed(dir, "OIData", p, oi);
    seed(dir, "PIHead", p, head);
    seed(dir, "PI_OILink", p, PI_OILink{head, oi.hod});
    seed(dir, "PANData", p, pan);
    seed(dir, "PANToken", p, samples::panToken(pan));
    seed(dir, "PResData", p, samples::pResData(rng, oi.transIDs));
    seed(dir, "InqReqData", p, samples::inqReqData(rng, oi.transIDs));
    seed(dir, "AuthReqData", p, ard);
    seed(dir, "PI", p, PI{PIDualSigned{oi.hod, oi.hod}});
    seed(dir, "AuthResData", p, samples::authResData(rng, ard));
    seed(dir, "AuthResBaggage", p, AuthResBaggage{CapToken{CapToken::Kind::enc, oi.hod}, std::nullopt, AuthToken{oi.hod}});
    seed(dir, "CapTokenData", p, samples::capTokenData(rng));
    seed(dir, "AuthTokenData", p, samples::authTokenData(rng, oi.transIDs));
    seed(dir, "CapReqData", p, crd);
    seed(dir, "CapTokenSeq", p, CapTokenSeq{{CapToken{CapToken::Kind::null, {}}, CapToken{CapToken::Kind::enc, oi.hod}}});
    seed(dir, "CapResData", p, samples::capResData(rng, crd));
    seed(dir, "ErrorTBS", p, samples::errorTBS(rng, samples::header(rng)));
  }
  WakeUp w;
  w.brands = {"Visa", "MasterCard:Gold"};
  w.purchAmt = CurrencyAmount{840, 12950, -2};
  w.lidM = toBytes("ORDER-4711");
  w.language = "en-US";
  w.paymentUrl = "https://shop.example/set";
  w.recurring = WakeUpRecurring{30, "20270101"};
  w.extensions = {WakeUpExtension{"2.23.42.1.8", unhex("0400"), true}};
  w.orderDescription = "1 x SET Book 3\r\n";
  const std::string text = format(w);
  write(dir, "WakeUp", "sample", view(text));
  return 0;
} catch (const std::exception& e) {
  std::cerr << "setpay-fuzz-seeds: " << e.what() << "\n";
  return 1;
}
