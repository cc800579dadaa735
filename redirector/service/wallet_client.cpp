#include "redirector/service/wallet_client.hpp"

#include <boost/json.hpp>

#include <thread>

#include "protocol/crypto/signer.hpp"
#include "protocol/pki/carried_trust.hpp"
#include "protocol/redirect/redirect_error.hpp"
#include "protocol/redirect/sign.hpp"
#include "protocol/wakeup/wakeup.hpp"

namespace setpay::redirector {

std::string signedC(protocol::ByteView wakeUp, const protocol::Msisdn& msisdn, const SenderIdentity& id,
                    protocol::RandomSource& random, const protocol::Clock& clock) {
  const std::string text = protocol::toString(wakeUp);
  const protocol::WakeUp parsed = protocol::parseWakeUp(text);
  const auto algorithm = protocol::signatureAlgorithmFor(id.key.get());
  if (!algorithm) throw std::invalid_argument("the sender key is neither ECDSA P-256 nor RSA >= 2048");
  protocol::SoftwareSigner signer(protocol::ossl::Cert{}, protocol::pki::share(id.key.get()));
  protocol::EnvelopeContent content{id.sender, msisdn, parsed.paymentUrl, protocol::toBytes(text), id.walletPassword};
  return protocol::formatEnvelope(protocol::signEnvelope(std::move(content), *algorithm, signer, random, clock));
}

Submitted submitC(runtime::HttpClient& client, const std::string& base, const std::string& xml) {
  const auto r = client.postSync(base + "/c", std::string(protocol::redirectMediaType), xml);
  Submitted s{r.status, std::nullopt, std::nullopt, r.body};
  if (r.status == 202) {
    boost::system::error_code ec;
    const auto v = boost::json::parse(r.body, ec);
    if (!ec && v.is_object())
      if (const auto* p = v.as_object().if_contains("purchase"); p && p->is_string()) s.purchase = std::string(p->as_string());
    if (!s.purchase) throw std::runtime_error("the wallet accepted c without a purchase id: " + r.body);
    if (const auto* relayPath = v.as_object().if_contains("relay"); relayPath && relayPath->is_string())
      s.relay = std::string(relayPath->as_string());
  }
  return s;
}

namespace {

std::string field(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

PurchaseState follow(runtime::HttpClient& client, const std::string& base, const std::string& purchase,
                     std::chrono::milliseconds wait, std::chrono::milliseconds poll,
                     const std::function<void(const PurchaseState&)>& onChange) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  PurchaseState last;
  for (;;) {
    const auto r = client.getSync(base + "/purchases?id=" + purchase);
    if (r.status != 200) throw std::runtime_error("GET /purchases?id=" + purchase + ": HTTP " + std::to_string(r.status));
    boost::system::error_code ec;
    const auto v = boost::json::parse(r.body, ec);
    if (ec || !v.is_object()) throw std::runtime_error("GET /purchases: not a JSON object");
    const auto& o = v.as_object();
    PurchaseState now{field(o, "state"), field(o, "outcome"), field(o, "reason"), field(o, "merchant"), field(o, "amount")};
    if (now.state != last.state && onChange) onChange(now);
    last = std::move(now);
    if (last.ended() || std::chrono::steady_clock::now() >= deadline) return last;
    std::this_thread::sleep_for(poll);
  }
}

bool relay(runtime::HttpClient& wallet, const std::string& base, const std::string& relayPath, runtime::HttpClient& merchant,
           const std::string& merchantUrl, std::chrono::milliseconds wait, const std::function<void(const std::string&)>& onExchange) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (std::chrono::steady_clock::now() < deadline) {
    runtime::HttpResponse next;
    try {
      next = wallet.getSync(base + relayPath);
    } catch (const runtime::TransportError&) {
      continue;  // our long poll timed out while the shopper types the PIN: poll again
    }
    if (next.status == 204) return true;
    if (next.status == 409) continue;  // superseded by our own newer poll
    if (next.status != 200) throw std::runtime_error("GET " + relayPath + ": HTTP " + std::to_string(next.status) + ": " + next.body);
    std::string contentType = "application/set-payment", answer;
    std::string what = std::to_string(next.body.size()) + " B to the merchant: ";
    try {
      const auto m = merchant.postSync(merchantUrl, "application/set-payment", next.body);
      if (m.status == 200) {
        answer = m.body;
        what += "HTTP 200, " + std::to_string(m.body.size()) + " B back";
      } else {
        contentType = "text/plain";
        answer = "merchant: HTTP " + std::to_string(m.status);
        what += answer;
      }
    } catch (const runtime::TransportError& e) {
      contentType = "text/plain";
      answer = std::string("merchant: ") + e.what();
      what += answer;
    }
    if (onExchange) onExchange(what);
    const auto back = wallet.postSync(base + relayPath, contentType, answer);
    if (back.status != 204) throw std::runtime_error("POST " + relayPath + ": HTTP " + std::to_string(back.status) + ": " + back.body);
  }
  return false;
}

}  // namespace setpay::redirector
