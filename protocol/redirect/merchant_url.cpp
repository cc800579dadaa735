#include "protocol/redirect/merchant_url.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "protocol/redirect/envelope.hpp"

namespace setpay::protocol {

std::string merchantUrlProblem(std::string_view url) {
  if (url.empty()) return "empty";
  if (url.size() > redirect_limits::urlMax) return "too long";
  // absolute-URI (RFC 3986 §4.3): scheme ":" hier-part [ "?" query ] — a fragment is not part of it.
  const auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return "not an absolute URI";
  const boost::urls::url_view& u = *parsed;
  if (u.scheme_id() != boost::urls::scheme::https && u.scheme_id() != boost::urls::scheme::http)
    return "scheme must be https or http";
  if (!u.has_authority() || u.encoded_host().empty()) return "no host";
  if (u.has_userinfo()) return "userinfo not allowed";
  return {};
}

}  // namespace setpay::protocol
