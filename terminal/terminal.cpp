#include "terminal/terminal.hpp"

#include <algorithm>

#include "protocol/mobile/channel.hpp"
#include "protocol/text/scrub.hpp"

namespace setpay::terminal {

using protocol::ErrorCode;
using protocol::ProtocolError;

namespace {

// Certificate text (UTF-8, verified by the CA) shown as is, control characters replaced.
std::string printable(std::string s) {
  std::replace_if(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }, '?');
  return s;
}

mobile::Refusal refusal(mobile::RefusalReason reason, const ProtocolError& e) {
  // The detail names the check, never data from the card (none has been read yet).
  return mobile::Refusal{reason, std::nullopt, e.code(), protocol::escapeUntrusted(e.what()).substr(0, 256)};
}

}  // namespace

Terminal::Terminal(TerminalConfig config, const protocol::Clock& clock, protocol::RandomSource& random)
    : config_(std::move(config)), clock_(clock), random_(random), terminalID_(mobile::terminalIdOf(config_.channelKey.get())) {
  if (!config_.walletKey) throw ProtocolError(ErrorCode::missingCertificate, "no wallet key pinned");
}

ReviewedRequest Terminal::review(ByteView d) const {
  const mobile::Window window{clock_, config_.maxAge};
  ReviewedRequest r;
  r.d = mobile::openSignatureRequest(d, config_.walletKey.get(), terminalID_, window);
  r.dDigest = mobile::digestOf(d);
  try {
    const auto profile = protocol::AlgorithmProfile::make(r.d.profile);
    // The merchant, Cert-PE and TransIDs come from the merchant's signed PInitRes, checked here again.
    r.offer = protocol::verifyOffer(profile, config_.trust, clock_, protocol::PInitRes{r.d.pInitRes}, r.d.brandID);
    const protocol::PInitResData& offer = r.offer->data;
    if (offer.transIDs.xid != r.d.binding.xid) throw ProtocolError(ErrorCode::unknownXID, "d is bound to another XID than its PInitRes");
    if (r.offer->signature.signingTime < clock_.now() - config_.maxAge)
      throw ProtocolError(ErrorCode::messageTooOld, "the merchant's PInitRes is too old");
  } catch (const ProtocolError& e) {
    r.refusal = refusal(mobile::RefusalReason::badRequest, e);
    r.offer.reset();
    return r;
  }
  if (r.d.mode == mobile::CardMode::cardData && !config_.allowCardData) {
    r.refusal = mobile::Refusal{mobile::RefusalReason::modeRefused, std::nullopt, std::nullopt,
                                "this terminal does not release card data to the wallet"};
    return r;
  }
  const protocol::PInitResData& offer = r.offer->data;
  const auto& names = protocol::merchantNames(r.offer->merchantData, offer.transIDs.language);
  r.display = PurchaseDisplay{printable(names.name),
                              printable(names.city),
                              r.offer->merchantData.merID,
                              r.d.purchAmt,
                              protocol::describe(r.d.purchAmt),
                              protocol::escapeUntrusted(protocol::toString(r.d.od)),
                              offer.transIDs.pReqDate,
                              r.d.brandID};
  return r;
}

Bytes Terminal::refuse(const ReviewedRequest& r, mobile::RefusalReason reason, std::optional<std::string> detail) {
  return respond(r, mobile::Refusal{reason, std::nullopt, std::nullopt, std::move(detail)});
}

Bytes Terminal::respond(const ReviewedRequest& r, Answer answer) {
  if (const Bytes* earlier = answered(r.d.binding.purchaseNonce)) return *earlier;
  mobile::SignatureResponse e;
  e.binding = r.d.binding;
  e.binding.date = std::chrono::floor<std::chrono::seconds>(clock_.now());
  e.dDigest = r.dDigest;
  e.answer = std::move(answer);
  Bytes der = mobile::sign(e, config_.channelKey.get());
  answers_.emplace_back(r.d.binding.purchaseNonce, der);
  while (answers_.size() > std::max<std::size_t>(config_.rememberedAnswers, 1)) answers_.pop_front();
  return der;
}

const Bytes* Terminal::answered(const Bytes& purchaseNonce) const {
  for (const auto& [nonce, e] : answers_)
    if (nonce == purchaseNonce) return &e;
  return nullptr;
}

mobile::PurchaseConfirmation Terminal::confirmation(ByteView f) const {
  return mobile::openConfirmation(f, config_.walletKey.get(), terminalID_, mobile::Window{clock_, config_.maxAge});
}

}  // namespace setpay::terminal
