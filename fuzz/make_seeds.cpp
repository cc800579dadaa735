// setpay-fuzz-seeds DIR: seed corpora for every fuzz target — the wrapper DER of every message vector
// (vectors/messages), the inner values those vectors are built from, a wake-up message and message c
// around it, RADIUS accounting packets, the crypto
// vectors (vectors/crypto) behind the selector byte of their target, and hand-made card APDUs.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "protocol/messages/codec.hpp"
#include "protocol/redirect/envelope.hpp"
#include "protocol/wakeup/wakeup.hpp"
#include "tests/support/vectors.hpp"
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

// [selector][2-byte length][first][second], the layout of fuzz/fuzz_input.hpp.
Bytes twoParts(std::uint8_t selector, ByteView first, ByteView second) {
  Bytes out{selector, static_cast<std::uint8_t>(first.size() >> 8), static_cast<std::uint8_t>(first.size() & 0xFF)};
  out.insert(out.end(), first.begin(), first.end());
  out.insert(out.end(), second.begin(), second.end());
  return out;
}

Bytes prefixed(std::uint8_t selector, ByteView rest) {
  Bytes out{selector};
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

// Index of the content type in fuzz::contentTypeFor.
std::uint8_t contentTypeBits(const support::Vector& v) {
  const int nid = v.nid("contentType");
  const int nids[] = {NID_setct_PInitResData, NID_setct_AuthReqTBE, NID_setct_PIDualSignedTBE, NID_setct_PIUnsignedTBE};
  for (std::uint8_t i = 0; i < 4; ++i)
    if (nids[i] == nid) return i;
  throw std::runtime_error("content type of " + v.id + " not in the fuzz table");
}

void cryptoSeeds(const std::filesystem::path& dir) {
  for (auto profile : {ProfileId::set1, ProfileId::modern}) {
    const auto bit = static_cast<std::uint8_t>(profile == ProfileId::modern ? 1 : 0);
    for (const std::string op : {"S", "SO"})
      for (const auto& v : support::loadVectors(support::vectorFile(op, profile)).vectors) {
        const auto sel = static_cast<std::uint8_t>(bit | (op == "SO" ? 2 : 0) | contentTypeBits(v) << 2);
        write(dir, "SignedData", v.id,
              op == "S" ? prefixed(sel, v.expected(op)) : twoParts(sel, v.expected(op), v.hex("t")));
      }
    const std::string envelopes[] = {"E", "EH", "EX", "EXH"};
    for (std::uint8_t i = 0; i < 4; ++i)
      for (const auto& v : support::loadVectors(support::vectorFile(envelopes[i], profile)).vectors)
        write(dir, "EnvelopedData", v.id,
              prefixed(static_cast<std::uint8_t>(bit | i << 1 | contentTypeBits(v) << 3), v.expected(envelopes[i])));
    for (const auto& v : support::loadVectors(support::vectorFile("DD", profile)).vectors)
      write(dir, "DigestedData", v.id, twoParts(bit, v.expected("DD"), v.hex("t")));
    for (const auto& v : support::loadVectors(support::vectorFile("L", profile)).vectors)
      write(dir, "DigestedData", v.id, prefixed(static_cast<std::uint8_t>(bit | 2), v.expected("L")));
  }
}

// Hand-made command APDUs of pcsc/CARD-APPLICATION.md, and the card's answers.
void cardSeeds(const std::filesystem::path& dir) {
  const Bytes select = unhex("00A4040009A0000009995345540100");
  const Bytes verify = unhex("00200081043132333400");
  Bytes generateAc = unhex("80AE80001D");  // ARQC, 29 bytes of CDOL1, Le 00
  generateAc.resize(generateAc.size() + 29, 0x01);
  generateAc.push_back(0x00);
  const Bytes commands[] = {
      select,
      unhex("00A4040C09A00000099953455401"),
      unhex("00A4020C02C000"),
      unhex("00CA005A00"),
      unhex("80CA9F3600"),
      unhex("00CADF0100"),
      unhex("00B0000000"),
      unhex("00B0810000000000"),  // extended Le 65536
      verify,
      unhex("00200081"),
      unhex("002A9E9A233021300906052B0E03021A05000414000102030405060708090A0B0C0D0E0F1011121300"),
      unhex("002A9E9A20000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F00"),
      generateAc,
      unhex("00C0000000"),
  };
  int n = 0;
  for (const auto& c : commands) write(dir, "CardParsing", "apdu-" + std::to_string(n++), c);
  write(dir, "CardParsing", "tlv", unhex("6F128409A00000099953455401A5055003534554" "5A084111111111111111"));
  write(dir, "CardParsing", "tlv-long", unhex("5F2081820102030405"));
  // The virtual card: sessions of commands, each as [2-byte length][C-APDU].
  const auto session = [](std::uint8_t sel, std::initializer_list<Bytes> cs) {
    Bytes out{sel};
    for (const auto& c : cs) {
      out.push_back(static_cast<std::uint8_t>(c.size() >> 8));
      out.push_back(static_cast<std::uint8_t>(c.size() & 0xFF));
      out.insert(out.end(), c.begin(), c.end());
    }
    return out;
  };
  for (std::uint8_t sel : {std::uint8_t{0}, std::uint8_t{1}, std::uint8_t{2}, std::uint8_t{5}}) {
    const std::string s = std::to_string(sel);
    write(dir, "VirtualCard", "read-" + s,
          session(sel, {select, unhex("00A4020C02C000"), unhex("00B0000000"), unhex("00B0008000"), unhex("00C0000000")}));
    write(dir, "VirtualCard", "data-" + s,
          session(sel, {select, unhex("00CA005A00"), unhex("00CA5F2400"), unhex("00CA9F1700"), verify, unhex("00CADF0100")}));
    write(dir, "VirtualCard", "sign-" + s,
          session(sel, {select, verify, commands[10], verify, commands[11]}));
    write(dir, "VirtualCard", "ac-" + s, session(sel, {select, generateAc, generateAc, commands[13]}));
    write(dir, "VirtualCard", "pin-" + s,
          session(sel, {select, unhex("00200081043030303000"), unhex("00200081"), verify}));
  }
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
  // Message c around that wake-up: unsigned, and with client authentication data (the parser does not
  // verify, so a placeholder signature reaches every branch).
  RedirectEnvelope c{Sender{SenderKind::gatewayProxy, "operator-gw-1"}, *Msisdn::parse("+33612345678"), w.paymentUrl,
                     toBytes(text), std::nullopt};
  write(dir, "RedirectEnvelope", "unsigned", view(formatEnvelope(c)));
  c.auth = ClientAuth{Bytes(16, 0x5A), vectorEpoch(), std::string("pw"),
                      EnvelopeSignature{SignatureAlgorithm::ecdsaP256Sha256, Bytes(72, 0x30)}};
  write(dir, "RedirectEnvelope", "signed", view(formatEnvelope(c)));
  // RADIUS: the Accounting-Request radclient sent (tests/redirector/radius_test.cpp), and an Accounting-On.
  write(dir, "RadiusAccounting", "start",
        unhex("04e5003ae248391061c14a9d9bc27f43a944f0f72806000000010806" "7f0000051f0d3333363132333435363738" "2c0d7365747061792d30303031"));
  write(dir, "RadiusAccounting", "accounting-on", unhex("0401001a00000000000000000000000000000000280600000007"));
  cryptoSeeds(dir);
  cardSeeds(dir);
  return 0;
} catch (const std::exception& e) {
  std::cerr << "setpay-fuzz-seeds: " << e.what() << "\n";
  return 1;
}
