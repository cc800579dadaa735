#include "pcsc/virtual_card.hpp"

#include <openssl/obj_mac.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstdio>

#include "pcsc/card_application.hpp"
#include "pcsc/card_error.hpp"
#include "pcsc/emv_cryptogram.hpp"
#include "pcsc/tlv.hpp"
#include "protocol/bytes_reader.hpp"

namespace setpay::pcsc {

namespace {

namespace ossl = protocol::ossl;
using X509Sig = ossl::Owned<X509_SIG, X509_SIG_free>;

ResponseApdu status(std::uint16_t sw) { return ResponseApdu{{}, sw}; }
ResponseApdu okWith(Bytes data) { return ResponseApdu{std::move(data), sw::ok}; }

// Digits → packed BCD, padded with F to a whole byte (EMV tag 5A). `digits` is validated (validate()).
Bytes bcd(std::string_view digits) {
  Bytes out;
  protocol::TextReader r(digits);
  for (char hi = 0; r.unit(hi);) {
    char lo = 0;
    const auto low = static_cast<std::uint8_t>(r.unit(lo) ? lo - '0' : 0xF);
    out.push_back(static_cast<std::uint8_t>((hi - '0') << 4 | low));
  }
  return out;
}

// YYYYMM → YYMMDD with DD the last day of the month (EMV 5F24). `yyyymm` is validated (validate()).
Bytes expiryBcd(std::string_view yyyymm) {
  protocol::TextReader r(yyyymm);
  std::string_view yyyy, mm;
  if (!r.bytes(4, yyyy) || !r.bytes(2, mm) || !r.empty()) throw CardError(CardErrorKind::protocol, "expiry is not YYYYMM");
  const auto number = [](std::string_view d) {
    int v = 0;
    for (char c : d) v = v * 10 + (c - '0');
    return v;
  };
  const int year = number(yyyy);
  const int month = number(mm);
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) throw CardError(CardErrorKind::protocol, "expiry month out of range");
  int last = days[month - 1];
  if (month == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) last = 29;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d%02d%02d", year % 100, month, last);
  return bcd(buf);
}

// At most the first n bytes.
ByteView head(ByteView b, std::size_t n) { return b.first(std::min(b.size(), n)); }

std::string hexHead(ByteView b) {
  constexpr std::size_t shown = 32;
  if (b.size() <= shown) return protocol::hex(b);
  return protocol::hex(head(b, shown)) + "...(" + std::to_string(b.size()) + " bytes)";
}

// A DER DigestInfo for a SHA-family hash with the matching digest length; nullopt otherwise.
bool validDigestInfo(ByteView body) {
  const unsigned char* p = body.data();
  X509Sig sig(d2i_X509_SIG(nullptr, &p, static_cast<long>(body.size())));
  if (!sig || p != body.data() + body.size()) return false;
  const X509_ALGOR* alg = nullptr;
  const ASN1_OCTET_STRING* digest = nullptr;
  X509_SIG_get0(sig.get(), &alg, &digest);
  const ASN1_OBJECT* oid = nullptr;
  X509_ALGOR_get0(&oid, nullptr, nullptr, alg);
  const int nid = OBJ_obj2nid(oid);
  if (nid != NID_sha1 && nid != NID_sha224 && nid != NID_sha256 && nid != NID_sha384 && nid != NID_sha512)
    return false;
  const EVP_MD* md = EVP_get_digestbynid(nid);
  if (!md || ASN1_STRING_length(digest) != EVP_MD_get_size(md)) return false;
  // Canonical DER only: re-encoding must give the same bytes.
  return ossl::der(sig.get(), i2d_X509_SIG) == Bytes(body.begin(), body.end());
}

}  // namespace

VirtualCard::VirtualCard(CardPersonalisation personalisation, VirtualCardOptions options)
    : p_(std::move(personalisation)), options_(options), pinTries_(app::pinMaxTries) {
  validate(p_);
  certificateDer_ = ossl::der(p_.certificate.get());
}

ByteView VirtualCard::atr() const { return app::atr; }

void VirtualCard::powerEvent() {
  selected_ = false;
  certificateSelected_ = false;
  pinVerified_ = false;
  pending_.reset();
}

ResponseApdu VirtualCard::process(ByteView raw) {
  const auto c = Apdu::parse(raw);
  if (!c) return status(sw::wrongLength);
  // CLA 80 (EMV proprietary class) for GENERATE AC and GET DATA, 00 for everything else.
  const bool emvClass = c->cla == app::claEmv && (c->ins == app::ins::generateAc || c->ins == app::ins::getData);
  if (c->cla != 0x00 && !emvClass) return status(sw::claNotSupported);
  if (c->ins == app::ins::generateAc && c->cla != app::claEmv) return status(sw::claNotSupported);
  if (c->ins != app::ins::getResponse) pending_.reset();
  if (options_.askToResendPinAndSignature &&
      (c->ins == app::ins::verify || c->ins == app::ins::performSecurityOperation))
    return status(static_cast<std::uint16_t>(0x6C00 | (c->data.size() & 0xFF)));
  ResponseApdu r = dispatch(*c);
  if (options_.chainResponses && c->ins != app::ins::getResponse && !r.data.empty()) r = chain(std::move(r));
  return r;
}

ResponseApdu VirtualCard::dispatch(const Apdu& c) {
  switch (c.ins) {
    case app::ins::select: return select(c);
    case app::ins::getResponse: return getResponse(c);
    case app::ins::getData:
    case app::ins::readBinary:
    case app::ins::verify:
    case app::ins::performSecurityOperation:
    case app::ins::generateAc:
      if (!selected_) return status(sw::conditionsNotSatisfied);
      if (c.ins == app::ins::generateAc) return generateAc(c);
      if (c.ins == app::ins::getData) return getData(c);
      if (c.ins == app::ins::readBinary) return readBinary(c);
      if (c.ins == app::ins::verify) return verify(c);
      return sign(c);
    default:
      return status(sw::insNotSupported);
  }
}

ResponseApdu VirtualCard::select(const Apdu& c) {
  if (c.p1 == 0x04) {  // by DF name
    if (c.p2 != 0x00 && c.p2 != 0x0C) return status(sw::wrongP1P2);
    if (!std::equal(c.data.begin(), c.data.end(), app::aid.begin(), app::aid.end()))
      return status(sw::fileNotFound);
    powerEvent();  // a fresh selection starts a fresh security context
    selected_ = true;
    if (c.p2 == 0x0C) return status(sw::ok);
    const Bytes keyAlg{EVP_PKEY_get_base_id(p_.key.get()) == EVP_PKEY_RSA ? app::keyRsa : app::keyEcP256};
    const Bytes proprietary = protocol::concat({tlv(app::tag::label, protocol::view(std::string("SETPAY"))),
                                                tlv(app::tag::keyAlgorithm, keyAlg),
                                                tlv(app::tag::profile, protocol::view(p_.profile))});
    return okWith(tlv(app::tag::fci, protocol::concat({tlv(app::tag::dfName, app::aid),
                                                       tlv(app::tag::fciProprietary, proprietary)})));
  }
  if (c.p1 == 0x00 || c.p1 == 0x02) {  // by file identifier, within the application
    protocol::BytesReader r(c.data);
    std::uint16_t fid = 0;
    if (!r.u16be(fid) || !r.empty()) return status(sw::wrongLength);
    if (!selected_) return status(sw::fileNotFound);
    if (fid != app::certificateFid) return status(sw::fileNotFound);
    certificateSelected_ = true;
    if (c.p2 == 0x0C) return status(sw::ok);
    if (c.p2 != 0x00 && c.p2 != 0x04) return status(sw::wrongP1P2);
    const auto size = certificateDer_.size();
    const Bytes sizeBytes{static_cast<std::uint8_t>(size >> 8), static_cast<std::uint8_t>(size & 0xFF)};
    return okWith(tlv(0x62, protocol::concat({tlv(0x80, sizeBytes), tlv(0x83, Bytes(c.data))})));
  }
  return status(sw::wrongP1P2);
}

ResponseApdu VirtualCard::getData(const Apdu& c) {
  const auto tag = static_cast<std::uint16_t>(c.p1 << 8 | c.p2);
  Bytes value;
  switch (tag) {
    case app::tag::pan: value = bcd(p_.pan); break;
    case app::tag::expiry: value = expiryBcd(p_.expiry); break;
    case app::tag::cardholderName: value = protocol::toBytes(p_.name); break;
    case app::tag::pinTryCounter: value = {static_cast<std::uint8_t>(pinTries_)}; break;
    case app::tag::profile: value = protocol::toBytes(p_.profile); break;
    case app::tag::atc: value = {static_cast<std::uint8_t>(atc_ >> 8), static_cast<std::uint8_t>(atc_ & 0xFF)}; break;
    case app::tag::aip: value = Bytes(app::aipValue.begin(), app::aipValue.end()); break;
    case app::tag::keyAlgorithm:
      value = {EVP_PKEY_get_base_id(p_.key.get()) == EVP_PKEY_RSA ? app::keyRsa : app::keyEcP256};
      break;
    case app::tag::panSecret:
      if (!pinVerified_) return status(sw::securityStatusNotSatisfied);
      value = p_.panSecret;
      break;
    default:
      return status(sw::referencedDataNotFound);
  }
  return withLe(c, okWith(tlv(tag, value)));
}

ResponseApdu VirtualCard::readBinary(const Apdu& c) {
  std::size_t offset = 0;
  if (c.p1 & 0x80) {  // short EF identifier in P1, offset in P2
    if ((c.p1 & 0x1F) != app::certificateSfi || (c.p1 & 0x60)) return status(sw::fileNotFound);
    certificateSelected_ = true;
    offset = c.p2;
  } else {
    if (!certificateSelected_) return status(0x6986);  // command not allowed: no current EF
    offset = static_cast<std::size_t>(c.p1) << 8 | c.p2;
  }
  if (!c.le) return status(sw::wrongLength);
  if (offset > certificateDer_.size()) return status(sw::wrongOffset);
  const std::size_t n = std::min(*c.le, certificateDer_.size() - offset);
  const auto first = certificateDer_.begin() + static_cast<std::ptrdiff_t>(offset);
  ResponseApdu r{Bytes(first, first + static_cast<std::ptrdiff_t>(n)), n < *c.le ? sw::endOfFileReached : sw::ok};
  return withLe(c, std::move(r));
}

ResponseApdu VirtualCard::verify(const Apdu& c) {
  if (c.p1 != 0x00) return status(sw::wrongP1P2);
  if (c.p2 != app::pinReference) return status(sw::referencedDataNotFound);
  if (pinTries_ == 0) return status(sw::authenticationBlocked);
  if (c.data.empty()) return status(pinVerified_ ? sw::ok : sw::verifyFailed(pinTries_));
  if (c.data.size() < app::pinMinLength || c.data.size() > app::pinMaxLength) return status(sw::wrongLength);
  if (protocol::constantTimeEqual(c.data, protocol::view(p_.pin))) {
    pinTries_ = app::pinMaxTries;
    pinVerified_ = true;
    return status(sw::ok);
  }
  pinVerified_ = false;
  --pinTries_;
  return status(pinTries_ == 0 ? sw::authenticationBlocked : sw::verifyFailed(pinTries_));
}

ResponseApdu VirtualCard::sign(const Apdu& c) {
  if (c.p1 != 0x9E || c.p2 != 0x9A) return status(sw::wrongP1P2);
  if (!pinVerified_) return status(sw::securityStatusNotSatisfied);
  pinVerified_ = false;  // one VERIFY, one signature
  const bool rsa = EVP_PKEY_get_base_id(p_.key.get()) == EVP_PKEY_RSA;
  if (rsa ? !validDigestInfo(c.data) : (c.data.size() < 20 || c.data.size() > 64)) return status(sw::wrongData);
  ossl::PKeyCtx ctx(EVP_PKEY_CTX_new(p_.key.get(), nullptr));
  std::size_t len = 0;
  // No signature md: RSA pads the DigestInfo as given (PKCS#1 v1.5 type 1), EC signs the hash.
  if (!ctx || EVP_PKEY_sign_init(ctx.get()) != 1 ||
      (rsa && EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1) ||
      EVP_PKEY_sign(ctx.get(), nullptr, &len, c.data.data(), c.data.size()) != 1)
    return status(sw::unknown);
  Bytes sig(len);
  if (EVP_PKEY_sign(ctx.get(), sig.data(), &len, c.data.data(), c.data.size()) != 1) return status(sw::unknown);
  sig.resize(len);
  return okWith(std::move(sig));
}

ResponseApdu VirtualCard::generateAc(const Apdu& c) {
  const std::uint8_t requested = c.p1 & 0xC0;
  if (requested == 0xC0 || c.p2 != 0x00) return status(sw::wrongP1P2);
  if (p_.acKey.empty()) return status(0x6A81);  // function not supported: not personalised for it
  if (c.data.size() != emv::cdol1Length) return status(sw::wrongLength);
  if (atc_ == 0xFFFF) return status(sw::conditionsNotSatisfied);  // counter exhausted: card is done
  ++atc_;
  // An online-only card: TC requests are downgraded to ARQC; AAC stays AAC. CDA (P1 bit 5) is not
  // offered and ignored.
  const std::uint8_t cid = requested == app::cryptogramAac ? app::cryptogramAac : app::cryptogramArqc;
  // IAD in the Visa CVN 18 layout: length, DKI, CVN, CVR (length 03, AC type bits, 00, 00).
  const Bytes iad{0x06, 0x01, app::cvn18, 0x03, static_cast<std::uint8_t>(cid == app::cryptogramArqc ? 0xA0 : 0x80), 0x00, 0x00};
  const Bytes ac = emv::arqcCvn18(p_.acKey, c.data, app::aipValue, atc_, iad);
  const Bytes atcValue{static_cast<std::uint8_t>(atc_ >> 8), static_cast<std::uint8_t>(atc_ & 0xFF)};
  return okWith(tlv(app::tag::responseTemplate2,
                    protocol::concat({tlv(app::tag::cid, Bytes{cid}), tlv(app::tag::atc, atcValue),
                                      tlv(app::tag::applicationCryptogram, ac),
                                      tlv(app::tag::issuerApplicationData, iad)})));
}

ResponseApdu VirtualCard::getResponse(const Apdu& c) {
  if (!pending_) return status(sw::conditionsNotSatisfied);
  if (c.p1 != 0 || c.p2 != 0) return status(sw::wrongP1P2);
  const std::size_t n = std::min(c.le.value_or(maxShortLe), pending_->data.size());
  ResponseApdu r{Bytes(pending_->data.begin(), pending_->data.begin() + static_cast<std::ptrdiff_t>(n)), 0};
  pending_->data.erase(pending_->data.begin(), pending_->data.begin() + static_cast<std::ptrdiff_t>(n));
  if (pending_->data.empty()) {
    r.sw = pending_->sw;
    pending_.reset();
  } else {
    r.sw = static_cast<std::uint16_t>(0x6100 | (std::min(pending_->data.size(), maxShortLe) & 0xFF));
  }
  return r;
}

ResponseApdu VirtualCard::chain(ResponseApdu r) {
  const std::size_t n = r.data.size();
  pending_ = std::move(r);
  return status(static_cast<std::uint16_t>(0x6100 | (std::min(n, maxShortLe) & 0xFF)));
}

ResponseApdu VirtualCard::withLe(const Apdu& c, ResponseApdu r) const {
  const bool answered = r.sw == sw::ok || r.sw == sw::endOfFileReached;
  if (options_.strictLe && answered && c.le && !c.extended() && !r.data.empty() &&
      r.data.size() <= maxShortLe && *c.le != r.data.size())
    return status(static_cast<std::uint16_t>(0x6C00 | (r.data.size() & 0xFF)));
  return r;
}

std::string VirtualCard::describe(ByteView command, const ResponseApdu& response) const {
  std::string cmd;
  std::string rsp;
  const auto c = Apdu::parse(command);
  if (c && c->ins == app::ins::verify && !c->data.empty()) {
    cmd = protocol::hex(head(command, 5)) + " <PIN>";
  } else if (!c) {  // malformed: may still be a VERIFY carrying a PIN, so show the header only
    cmd = protocol::hex(head(command, 4)) + " <" +
          std::to_string(command.size()) + " bytes, malformed>";
  } else {
    cmd = hexHead(command);
  }
  const auto tag = c ? static_cast<std::uint16_t>(c->p1 << 8 | c->p2) : 0;
  if (response.data.empty()) {
    rsp = "";
  } else if (c && c->ins == app::ins::getData && tag == app::tag::pan) {
    rsp = "<PAN " + protocol::maskPan(p_.pan) + "> ";
  } else if (c && (c->ins == app::ins::getResponse || (c->ins == app::ins::getData && tag == app::tag::panSecret))) {
    rsp = "<" + std::to_string(response.data.size()) + " bytes> ";  // may carry PAN or PAN secret
  } else {
    rsp = hexHead(response.data) + " ";
  }
  char swText[8];
  std::snprintf(swText, sizeof swText, "%04X", response.sw);
  return "> " + cmd + "\n< " + rsp + swText;
}

}  // namespace setpay::pcsc
