#include "redirector/radius.hpp"

#include <openssl/evp.h>

#include <algorithm>

#include "protocol/openssl.hpp"

namespace setpay::redirector::radius {

namespace {

[[noreturn]] void fail(DecodeProblem p, const std::string& why) { throw DecodeError(p, why); }

// MD5 over the concatenation of parts (the RADIUS authenticators are plain MD5, not HMAC).
std::array<std::uint8_t, 16> md5(std::initializer_list<ByteView> parts) {
  protocol::ossl::MdCtx ctx(EVP_MD_CTX_new());
  protocol::ossl::check(ctx && EVP_DigestInit_ex(ctx.get(), EVP_md5(), nullptr) == 1,
                        protocol::ErrorCode::unspecifiedFailure, "MD5 init");
  for (auto p : parts)
    protocol::ossl::check(EVP_DigestUpdate(ctx.get(), p.data(), p.size()) == 1,
                          protocol::ErrorCode::unspecifiedFailure, "MD5 update");
  std::array<std::uint8_t, 16> out{};
  unsigned int n = 0;
  protocol::ossl::check(EVP_DigestFinal_ex(ctx.get(), out.data(), &n) == 1 && n == 16,
                        protocol::ErrorCode::unspecifiedFailure, "MD5 final");
  return out;
}

ByteView bytesOf(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

std::uint32_t be32(ByteView b) {
  return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
}

std::string text(const Attribute& a, const char* what) {
  if (a.value.empty()) fail(DecodeProblem::badAttributeValue, std::string(what) + ": empty");
  return std::string(a.value.begin(), a.value.end());
}

template <class T>
void once(std::optional<T>& slot, T value, const char* what) {
  if (slot) fail(DecodeProblem::duplicateAttribute, what);
  slot = std::move(value);
}

}  // namespace

std::string_view name(DecodeProblem p) {
  switch (p) {
    case DecodeProblem::truncated: return "truncated";
    case DecodeProblem::tooBig: return "tooBig";
    case DecodeProblem::badLength: return "badLength";
    case DecodeProblem::notAccountingRequest: return "notAccountingRequest";
    case DecodeProblem::badAttribute: return "badAttribute";
    case DecodeProblem::badAttributeValue: return "badAttributeValue";
    case DecodeProblem::duplicateAttribute: return "duplicateAttribute";
    case DecodeProblem::missingStatusType: return "missingStatusType";
  }
  return "unknown";
}

DecodeError::DecodeError(DecodeProblem p, const std::string& detail)
    : std::runtime_error("RADIUS " + std::string(name(p)) + ": " + detail), problem_(p) {}

AccountingRequest decodeAccountingRequest(ByteView datagram) {
  if (datagram.size() > packetMax) fail(DecodeProblem::tooBig, std::to_string(datagram.size()) + " octets");
  if (datagram.size() < headerSize) fail(DecodeProblem::truncated, "shorter than the header");
  const std::size_t length = (std::size_t{datagram[2]} << 8) | datagram[3];
  if (length < headerSize) fail(DecodeProblem::badLength, "Length " + std::to_string(length));
  if (length > packetMax) fail(DecodeProblem::tooBig, "Length " + std::to_string(length));
  if (length > datagram.size()) fail(DecodeProblem::truncated, "Length says " + std::to_string(length));
  if (datagram[0] != accountingRequest) fail(DecodeProblem::notAccountingRequest, "code " + std::to_string(datagram[0]));

  AccountingRequest r;
  const ByteView packet = datagram.first(length);
  r.packet.assign(packet.begin(), packet.end());
  r.identifier = packet[1];
  std::copy_n(packet.begin() + 4, 16, r.authenticator.begin());
  std::optional<std::uint32_t> status;
  for (std::size_t at = headerSize; at < length;) {
    if (length - at < 2) fail(DecodeProblem::badAttribute, "attribute header cut at offset " + std::to_string(at));
    const std::uint8_t type = packet[at];
    const std::size_t len = packet[at + 1];
    if (len < 2 || len > length - at)
      fail(DecodeProblem::badAttribute, "attribute " + std::to_string(type) + " length " + std::to_string(len));
    Attribute a{type, Bytes(packet.begin() + static_cast<std::ptrdiff_t>(at + 2),
                            packet.begin() + static_cast<std::ptrdiff_t>(at + len))};
    at += len;
    switch (type) {
      case attr::acctStatusType:
        if (a.value.size() != 4) fail(DecodeProblem::badAttributeValue, "Acct-Status-Type size");
        once(status, be32(a.value), "Acct-Status-Type");
        break;
      case attr::framedIpAddress:
        if (a.value.size() != 4) fail(DecodeProblem::badAttributeValue, "Framed-IP-Address size");
        once(r.framedIp, IpAddress::v4({a.value[0], a.value[1], a.value[2], a.value[3]}), "Framed-IP-Address");
        break;
      case attr::framedIpv6Address: {
        if (a.value.size() != 16) fail(DecodeProblem::badAttributeValue, "Framed-IPv6-Address size");
        std::array<std::uint8_t, 16> v6{};
        std::copy(a.value.begin(), a.value.end(), v6.begin());
        once(r.framedIpv6, IpAddress::v6(v6), "Framed-IPv6-Address");
        break;
      }
      case attr::callingStationId: once(r.callingStationId, text(a, "Calling-Station-Id"), "Calling-Station-Id"); break;
      case attr::acctSessionId: once(r.sessionId, text(a, "Acct-Session-Id"), "Acct-Session-Id"); break;
      default: break;  // other attributes are legal and of no interest here
    }
    r.attributes.push_back(std::move(a));
  }
  if (!status) fail(DecodeProblem::missingStatusType, "no Acct-Status-Type");
  r.statusType = *status;
  return r;
}

bool verifyRequestAuthenticator(const AccountingRequest& r, std::string_view secret) {
  if (secret.empty() || r.packet.size() < headerSize) return false;
  static constexpr std::uint8_t zeros[16] = {};
  const ByteView p(r.packet);
  const auto expected = md5({p.first(4), ByteView(zeros), p.subspan(headerSize), bytesOf(secret)});
  return protocol::constantTimeEqual(expected, r.authenticator);
}

Bytes encodeAccountingResponse(const AccountingRequest& r, std::string_view secret) {
  Bytes out{accountingResponse, r.identifier, 0, static_cast<std::uint8_t>(headerSize)};
  const auto auth = md5({ByteView(out), ByteView(r.authenticator), bytesOf(secret)});
  out.insert(out.end(), auth.begin(), auth.end());
  return out;
}

Bytes encodeAccountingRequest(std::uint8_t identifier, const std::vector<Attribute>& attributes, std::string_view secret) {
  Bytes body;
  for (const auto& a : attributes) {
    if (a.value.size() > 253) throw std::invalid_argument("RADIUS attribute value over 253 octets");
    body.push_back(a.type);
    body.push_back(static_cast<std::uint8_t>(a.value.size() + 2));
    body.insert(body.end(), a.value.begin(), a.value.end());
  }
  const std::size_t length = headerSize + body.size();
  if (length > packetMax) throw std::invalid_argument("RADIUS packet over 4096 octets");
  const Bytes head{accountingRequest, identifier, static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length & 0xff)};
  static constexpr std::uint8_t zeros[16] = {};
  const auto auth = md5({ByteView(head), ByteView(zeros), ByteView(body), bytesOf(secret)});
  Bytes out = head;
  out.insert(out.end(), auth.begin(), auth.end());
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

bool verifyAccountingResponse(ByteView response, const AccountingRequest& request, std::string_view secret) {
  if (response.size() < headerSize || response[0] != accountingResponse || response[1] != request.identifier) return false;
  const std::size_t length = (std::size_t{response[2]} << 8) | response[3];
  if (length < headerSize || length > response.size() || length > packetMax) return false;
  const auto expected = md5({response.first(4), ByteView(request.authenticator), response.subspan(headerSize, length - headerSize),
                             bytesOf(secret)});
  return protocol::constantTimeEqual(expected, response.subspan(4, 16));
}

Attribute integerAttribute(std::uint8_t type, std::uint32_t v) {
  return {type, Bytes{static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
                      static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)}};
}

Attribute stringAttribute(std::uint8_t type, std::string_view v) { return {type, Bytes(v.begin(), v.end())}; }

Attribute addressAttribute(const IpAddress& a) {
  return {a.isV4() ? attr::framedIpAddress : attr::framedIpv6Address, Bytes(a.data(), a.data() + a.size())};
}

}  // namespace setpay::redirector::radius
