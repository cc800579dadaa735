#include "terminal/terminal.hpp"

#include <algorithm>

#include "protocol/messages/types.hpp"
#include "protocol/mobile/channel.hpp"
#include "protocol/text/scrub.hpp"

namespace setpay::terminal {

using protocol::ErrorCode;
using protocol::ProtocolError;

namespace {

mobile::Refusal badRequest(const ProtocolError& e) {
  // The detail names the failed check; no card data has been read at this point.
  return mobile::Refusal{mobile::RefusalReason::badRequest, std::nullopt, e.code(), e.what()};
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
    protocol::VerifiedOffer offer =
        protocol::verifyOffer(profile, config_.trust, clock_, protocol::PInitRes{r.d.pInitRes}, r.d.brandID);
    const protocol::TransIDs& ids = offer.data.transIDs;
    if (ids.xid != r.d.binding.xid) throw ProtocolError(ErrorCode::unknownXID, "d is bound to another XID than its PInitRes");
    if (offer.signature.signingTime < clock_.now() - config_.maxAge)
      throw ProtocolError(ErrorCode::messageTooOld, "the merchant's PInitRes is too old");
    const auto& names = protocol::merchantNames(offer.merchantData, ids.language);
    r.display = PurchaseDisplay{mobile::shownText(names.name), mobile::shownText(names.city),
                                offer.merchantData.merID, r.d.purchAmt, protocol::describe(r.d.purchAmt),
                                protocol::escapeUntrusted(protocol::toString(r.d.od)), ids.pReqDate, r.d.brandID};
    r.offer = std::move(offer);
  } catch (const ProtocolError& e) {
    r.display.reset();
    r.refusal = badRequest(e);
    return r;
  }
  if (r.d.mode == mobile::CardMode::cardData && !config_.allowCardData) {
    r.display.reset();
    r.refusal = mobile::Refusal{mobile::RefusalReason::modeRefused, std::nullopt, std::nullopt,
                                "this terminal does not release card data to the wallet"};
  }
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
  if (auto* refusal = std::get_if<mobile::Refusal>(&answer); refusal && refusal->detail)
    refusal->detail = mobile::detailText(*refusal->detail);  // printable, bounded, PANs masked
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
