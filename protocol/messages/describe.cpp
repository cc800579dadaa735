#include "protocol/messages/describe.hpp"

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>

#include <map>

#include "protocol/asn1/fields.hpp"
#include "protocol/asn1/set_asn1.hpp"
#include "protocol/asn1/strict_der.hpp"
#include "protocol/asn1/tree_print.hpp"
#include "protocol/error.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/convert.hpp"
#include "protocol/messages/hardening.hpp"
#include "protocol/openssl.hpp"
#include "protocol/pki/extensions.hpp"
#include "protocol/text/scrub.hpp"

namespace setpay::protocol {

namespace {

using Pkcs7 = ossl::Owned<PKCS7, PKCS7_free>;

std::string pad(int indent) { return std::string(static_cast<std::size_t>(indent) * 2, ' '); }

// "/O=…/CN=…" like X509_NAME_oneline, but every value is the peer's: converted to UTF-8, then escaped
// and PAN-masked (safeText), with nothing truncated or left ambiguous.
std::string nameOf(const X509_NAME* n) {
  std::string out;
  for (int k = 0; k < X509_NAME_entry_count(n); ++k) {
    const X509_NAME_ENTRY* e = X509_NAME_get_entry(n, k);
    const int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
    const char* sn = nid == NID_undef ? nullptr : OBJ_nid2sn(nid);
    out += "/" + (sn ? std::string(sn) : asn1::objectName(X509_NAME_ENTRY_get_object(e))) + "=";
    unsigned char* utf8 = nullptr;
    const int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(e));
    if (len < 0) {
      ERR_clear_error();
      out += "(undecodable)";
      continue;
    }
    out += safeText(std::string_view(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(len)));
    OPENSSL_free(utf8);
  }
  return out;
}

std::string timeText(const ASN1_TIME* t) {
  ossl::Bio bio(BIO_new(BIO_s_mem()));
  ASN1_TIME_print(bio.get(), t);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return safeText(std::string_view(data, static_cast<std::size_t>(n)));
}

std::string enumName(std::string_view field, std::int64_t v) {
  if (field == "authCode") return std::string(name(static_cast<AuthCode>(v)));
  if (field == "capCode") return std::string(name(static_cast<CapCode>(v)));
  if (field == "completionCode") return std::string(name(static_cast<CompletionCode>(v)));
  if (field == "errorCode" && v >= 1 && v <= static_cast<int>(ErrorCode::challengeMismatch))
    return std::string(name(static_cast<ErrorCode>(v)));
  return "";
}

std::string oneLine(const ASN1_ITEM* item, const ASN1_VALUE* value) {
  if (item == asn1::CurrencyAmount_it()) {
    try {
      return describe(convert::get(*reinterpret_cast<const asn1::CurrencyAmount*>(value)));
    } catch (const ProtocolError&) {
      return "";
    }
  }
  if (item == X509_EXTENSION_it()) {
    auto* e = const_cast<X509_EXTENSION*>(reinterpret_cast<const X509_EXTENSION*>(value));
    // Our two extensions by name only: their OIDs hold a 39-digit UUID arc, which every output boundary
    // would mask as a possible card number (SPEC-CHOICES "Output hygiene").
    const std::string oid = asn1::oidText(X509_EXTENSION_get_object(e));
    std::string label = oid == oidGatewayThumbExtension      ? "setpay gatewayKeyExchangeThumb"
                        : oid == oidMerchantIdentityExtension ? "setpay merchantIdentity"
                                                              : asn1::objectName(X509_EXTENSION_get_object(e));
    return label + (X509_EXTENSION_get_critical(e) > 0 ? ", critical" : "") + ", " +
           std::to_string(ASN1_STRING_length(X509_EXTENSION_get_data(e))) + " octets";
  }
  return "";
}

// What the baggage of an Enc*B pair is, from where it sits.
std::string baggageType(const std::string& path) {
  if (path.find("authorizationRequest") != std::string::npos) return "PI";
  if (path.find("authorizationResponse") != std::string::npos) return "AuthResBaggage";
  if (path.find("captureRequest") != std::string::npos) return "CapTokenSeq";
  return "";
}

const std::map<std::string, const ASN1_ITEM* (*)()>& items() {
  static const std::map<std::string, const ASN1_ITEM* (*)()> m = {
      {"MessageWrapper", asn1::MessageWrapper_it}, {"MessageHeader", asn1::MessageHeader_it},
      {"PInitReq", asn1::PInitReq_it},             {"PInitResData", asn1::PInitResData_it},
      {"HODInput", asn1::HODInput_it},             {"OIData", asn1::OIData_it},
      {"PIHead", asn1::PIHead_it},                 {"PI_OILink", asn1::PI_OILink_it},
      {"PI-OILink", asn1::PI_OILink_it},           {"PI_TBS", asn1::PI_TBS_it},
      {"PANData", asn1::PANData_it},               {"PANToken", asn1::PANToken_it},
      {"PIData", asn1::PIData_it},                 {"PIDataUnsigned", asn1::PIDataUnsigned_it},
      {"PReq", asn1::PReq_it},                     {"PResData", asn1::PResData_it},
      {"InqReqData", asn1::InqReqData_it},         {"AuthReqData", asn1::AuthReqData_it},
      {"PI", asn1::PI_it},                         {"AuthResData", asn1::AuthResData_it},
      {"AuthResBaggage", asn1::AuthResBaggage_it}, {"CapTokenData", asn1::CapTokenData_it},
      {"AuthTokenData", asn1::AuthTokenData_it},   {"CapReqData", asn1::CapReqData_it},
      {"CapTokenSeq", asn1::CapTokenSeq_it},       {"CapResData", asn1::CapResData_it},
      {"ErrorTBS", asn1::ErrorTBS_it},             {"MerchantIdentity", asn1::MerchantIdentity_it},
  };
  return m;
}

asn1::TreeHooks hooks() {
  asn1::TreeHooks h;
  h.any = [](std::string& out, int indent, const std::string& path, ByteView der) {
    out += describeOperator(der, indent, path);
  };
  h.enumName = enumName;
  h.oneLine = oneLine;
  return h;
}

void describeSigned(std::string& out, int indent, const PKCS7_SIGNED* s) {
  const int contentNid = OBJ_obj2nid(s->contents->type);
  const ASN1_TYPE* content = s->contents->d.other;
  out += pad(indent) + "SignedData, content type " + asn1::objectName(s->contents->type) +
         (content ? ", content " + std::to_string(content->value.sequence ? content->value.sequence->length : 0) + " octets"
                  : ", content omitted (SO)") +
         "\n";
  (void)contentNid;
  for (int k = 0; k < sk_X509_ALGOR_num(s->md_algs); ++k)
    out += pad(indent + 1) + "digestAlgorithm: " + asn1::objectName(sk_X509_ALGOR_value(s->md_algs, k)->algorithm) + "\n";
  for (int k = 0; k < sk_PKCS7_SIGNER_INFO_num(s->signer_info); ++k) {
    PKCS7_SIGNER_INFO* si = sk_PKCS7_SIGNER_INFO_value(s->signer_info, k);
    out += pad(indent + 1) + "signer: " + nameOf(si->issuer_and_serial->issuer) + " serial " +
           hex(asn1::octets(si->issuer_and_serial->serial)) + "\n";
    out += pad(indent + 2) + "signatureAlgorithm: " + asn1::objectName(si->digest_enc_alg->algorithm) + "\n";
    if (const ASN1_TYPE* t = PKCS7_get_signed_attribute(si, NID_pkcs9_signingTime))
      if (t->type == V_ASN1_UTCTIME || t->type == V_ASN1_GENERALIZEDTIME)
        out += pad(indent + 2) + "signingTime: " + timeText(t->value.utctime) + "\n";
  }
  for (int k = 0; k < sk_X509_num(s->cert); ++k) {
    out += pad(indent + 1) + "certificate [" + std::to_string(k) + "]\n";
    out += describeCertificate(sk_X509_value(s->cert, k), indent + 2);
  }
  if (const int n = sk_X509_CRL_num(s->crl); n > 0) out += pad(indent + 1) + "crls: " + std::to_string(n) + "\n";
}

void describeEnveloped(std::string& out, int indent, const PKCS7_ENVELOPE* e) {
  out += pad(indent) + "EnvelopedData, content type " + asn1::objectName(e->enc_data->content_type) + ", cipher " +
         asn1::objectName(e->enc_data->algorithm->algorithm) + ", " +
         std::to_string(e->enc_data->enc_data ? e->enc_data->enc_data->length : 0) + " encrypted octets\n";
  for (int k = 0; k < sk_PKCS7_RECIP_INFO_num(e->recipientinfo); ++k) {
    PKCS7_RECIP_INFO* ri = sk_PKCS7_RECIP_INFO_value(e->recipientinfo, k);
    out += pad(indent + 1) + "recipient: " + nameOf(ri->issuer_and_serial->issuer) + " serial " +
           hex(asn1::octets(ri->issuer_and_serial->serial)) + ", key encryption " +
           asn1::objectName(ri->key_enc_algor->algorithm) + "\n";
  }
}

}  // namespace

std::string describeOperator(ByteView der, int indent, const std::string& path) {
  std::string out;
  const unsigned char* p = der.data();
  Pkcs7 p7(d2i_PKCS7(nullptr, &p, static_cast<long>(der.size())));
  ERR_clear_error();
  if (p7 && p == der.data() + der.size()) {
    switch (OBJ_obj2nid(p7->type)) {
      case NID_pkcs7_signed:
        describeSigned(out, indent, p7->d.sign);
        return out;
      case NID_pkcs7_enveloped:
        describeEnveloped(out, indent, p7->d.enveloped);
        return out;
      case NID_pkcs7_digest: {
        const PKCS7_DIGEST* d = p7->d.digest;
        out += pad(indent) + "DigestedData " + asn1::objectName(d->md->algorithm) + " " + hex(asn1::octets(d->digest)) + "\n";
        return out;
      }
      default:
        break;
    }
  }
  // DD: a bare DigestedData (no ContentInfo around it).
  const unsigned char* d = der.data();
  ossl::Owned<PKCS7_DIGEST, PKCS7_DIGEST_free> dd(d2i_PKCS7_DIGEST(nullptr, &d, static_cast<long>(der.size())));
  ERR_clear_error();
  if (dd && d == der.data() + der.size()) {
    out += pad(indent) + "DigestedData " + asn1::objectName(dd->md->algorithm) + " " + hex(asn1::octets(dd->digest)) + "\n";
    return out;
  }
  // An Enc*B pair: SEQUENCE { EnvelopedData, baggage }.
  const unsigned char* q = der.data();
  ossl::Owned<STACK_OF(ASN1_TYPE), [](STACK_OF(ASN1_TYPE)* s) { sk_ASN1_TYPE_pop_free(s, ASN1_TYPE_free); }> seq(
      d2i_ASN1_SEQUENCE_ANY(nullptr, &q, static_cast<long>(der.size())));
  ERR_clear_error();
  if (seq && sk_ASN1_TYPE_num(seq.get()) == 2) {
    const Bytes first = asn1::anyDer(sk_ASN1_TYPE_value(seq.get(), 0));
    const Bytes second = asn1::anyDer(sk_ASN1_TYPE_value(seq.get(), 1));
    out += pad(indent) + "Enc-with-baggage { E(r, S(s, L(t, b))), b }\n";
    out += describeOperator(first, indent + 1, path);
    const std::string type = baggageType(path);
    out += pad(indent + 1) + "baggage" + (type.empty() ? "" : " (" + type + ")") + "\n";
    if (!type.empty()) {
      try {
        out += describeValue(type, second, indent + 2);
        return out;
      } catch (const ProtocolError& e) {
        out += pad(indent + 2) + "(does not decode: " + safeText(e.what()) + ")\n";
        return out;
      }
    }
    out += describeOperator(second, indent + 2, path);
    return out;
  }
  out += pad(indent) + "DER " + std::to_string(der.size()) + " octets: " + hex(der.first(std::min<std::size_t>(der.size(), 32))) +
         (der.size() > 32 ? "..." : "") + "\n";
  return out;
}

std::string describeValue(const std::string& typeName, ByteView der, int indent) {
  const auto found = items().find(typeName);
  if (found == items().end()) throw ProtocolError(ErrorCode::messageNotSupported, "no such type " + typeName);
  const ASN1_ITEM* item = found->second();
  auto value = asn1::decodeStrict<ASN1_VALUE>(der, item, limits::message, typeName.c_str());
  std::string out;
  asn1::printTree(out, indent, typeName, item, value.get(), hooks());
  return out;
}

std::string describeMessage(ByteView der) {
  (void)decode<MessageWrapper>(der);  // strict decode + field limits + header checks first
  return describeValue("MessageWrapper", der);
}

std::string describeCertificate(const X509* cert, int indent) {
  std::string out;
  out += pad(indent) + "subject: " + nameOf(X509_get_subject_name(cert)) + "\n";
  out += pad(indent) + "issuer: " + nameOf(X509_get_issuer_name(cert)) + "\n";
  out += pad(indent) + "serial: " + hex(asn1::octets(X509_get0_serialNumber(cert))) + "\n";
  out += pad(indent) + "validity: " + timeText(X509_get0_notBefore(cert)) + " .. " + timeText(X509_get0_notAfter(cert)) + "\n";
  if (const EVP_PKEY* key = X509_get0_pubkey(cert))
    out += pad(indent) + "key: " + OBJ_nid2sn(EVP_PKEY_get_base_id(key)) + " " + std::to_string(EVP_PKEY_get_bits(key)) + " bits\n";
  try {
    if (const auto types = pki::certificateTypeOf(cert))
      out += pad(indent) + "SET certificate type: " + types->describe() + "\n";
    else
      out += pad(indent) + "SET certificate type: (none: not a SET certificate)\n";
  } catch (const ProtocolError& e) {
    out += pad(indent) + "SET certificate type: malformed (" + safeText(e.what()) + ")\n";
  }
  return out;
}

}  // namespace setpay::protocol
