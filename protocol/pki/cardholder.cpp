#include "protocol/pki/cardholder.hpp"

#include "protocol/crypto/digest.hpp"
#include "protocol/pki/hierarchy.hpp"

namespace setpay::protocol::pki {

bool luhnValid(std::string_view pan) {
  if (pan.size() < 12 || pan.size() > 19) return false;
  int sum = 0;
  bool twice = false;
  for (auto it = pan.rbegin(); it != pan.rend(); ++it) {
    if (*it < '0' || *it > '9') return false;
    int d = *it - '0';
    if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

std::optional<std::chrono::year_month> parseCardExpiry(std::string_view s) {
  if (s.size() != 6 || s.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  const int year = std::stoi(std::string(s.substr(0, 4)));
  const auto month = static_cast<unsigned>(std::stoi(std::string(s.substr(4, 2))));
  if (year < 2000 || year > 2099 || month < 1 || month > 12) return std::nullopt;
  return std::chrono::year{year} / std::chrono::month{month};
}

std::string formatCardExpiry(std::chrono::year_month ym) {
  // Years are 2000..2099 and months 1..12 (parseCardExpiry); sized for any int anyway.
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02u", static_cast<int>(ym.year()),
                static_cast<unsigned>(ym.month()));
  return buf;
}

TimePoint cardExpiryEnd(std::chrono::year_month ym) {
  const std::chrono::sys_days firstOfNext{(ym + std::chrono::months{1}) / std::chrono::day{1}};
  return TimePoint(firstOfNext) - std::chrono::seconds{1};
}

Bytes uniqueCardholderId(const AlgorithmProfile& profile, ByteView panSecret, std::string_view pan) {
  if (panSecret.size() != kPanSecretSize)
    throw ProtocolError(ErrorCode::unspecifiedFailure, "PANSecret must be 20 bytes");
  if (!luhnValid(pan))
    throw ProtocolError(ErrorCode::unspecifiedFailure, "PAN " + maskPan(pan) + " fails the Luhn check");
  return HMAC(profile, ByteView(reinterpret_cast<const std::uint8_t*>(pan.data()), pan.size()),
              panSecret);
}

bool holdsAccount(const X509* cert, const AlgorithmProfile& profile, ByteView panSecret, std::string_view pan) {
  if (panSecret.size() != kPanSecretSize || !luhnValid(pan)) return false;
  const std::string cn = nameEntry(X509_get_subject_name(cert), NID_commonName);
  return constantTimeEqual(view(cn), view(hex(uniqueCardholderId(profile, panSecret, pan))));
}

Cardholder issueCardholder(const Credential& cca, const CardholderRequest& request,
                           const AlgorithmProfile& profile, RandomSource& random, const Clock& clock) {
  const TimePoint now = std::chrono::floor<std::chrono::seconds>(clock.now());
  const TimePoint cardEnd = cardExpiryEnd(request.expiry);
  if (cardEnd <= now)
    throw ProtocolError(ErrorCode::expiredCertificate,
                        "card expiry " + formatCardExpiry(request.expiry) + " is already past");
  Cardholder out;
  out.panSecret = random.bytes(kPanSecretSize);
  out.uniqueId = uniqueCardholderId(profile, out.panSecret, request.pan);

  const X509_NAME* ccaName = X509_get_subject_name(cca.cert.get());
  CertificateSpec spec;
  spec.subject = {nameEntry(ccaName, NID_countryName), nameEntry(ccaName, NID_organizationName),
                  "Cardholder", hex(out.uniqueId)};
  spec.types = {CertificateType::card};
  spec.keyUse = KeyUse::signature;
  spec.notBefore = now;
  spec.notAfter = std::min(now + lifetime::cardholder, cardEnd);
  spec.msisdn = request.msisdn;
  out.credential.key = profile.cardholderKey() == CardholderKeyType::ecP256
                           ? generateKey(KeyType::ecP256)
                           : generateKey(KeyType::rsa, profile.endEntityRsaBits());
  out.credential.cert = mintCertificate(spec, out.credential.key.get(), &cca, profile, random);
  return out;
}

}  // namespace setpay::protocol::pki
