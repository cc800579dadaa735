#include "protocol/asn1/tree_print.hpp"

#include <openssl/objects.h>

#include "protocol/asn1/fields.hpp"
#include "protocol/text/scrub.hpp"

namespace setpay::protocol::asn1 {

namespace {

struct Walker {
  std::string& out;
  const TreeHooks& hooks;

  void line(int indent, const std::string& name, const std::string& value) {
    out.append(static_cast<std::size_t>(indent) * 2, ' ').append(name);
    if (!value.empty()) out.append(": ").append(value);
    out.push_back('\n');
  }

  static const ASN1_VALUE* const* fieldOf(const ASN1_VALUE* parent, const ASN1_TEMPLATE* tt) {
    return reinterpret_cast<const ASN1_VALUE* const*>(reinterpret_cast<const char*>(parent) + tt->offset);
  }

  // CHOICE templates name their field "value.x" (the union member): show "x".
  static std::string fieldName(const ASN1_TEMPLATE* tt) {
    std::string n = tt->field_name;
    return n.starts_with("value.") ? n.substr(6) : n;
  }

  static std::string tagOf(const ASN1_TEMPLATE* tt) {
    if (!(tt->flags & ASN1_TFLG_TAG_MASK)) return "";
    return " [" + std::to_string(tt->tag) + "]";
  }

  static std::string octetText(const ASN1_STRING* s) {
    const Bytes b = octets(s);
    std::string h = hex(ByteView(b.data(), std::min<std::size_t>(b.size(), 48)));
    if (b.size() > 48) h += "... (" + std::to_string(b.size()) + " octets)";
    bool printable = !b.empty();
    for (auto c : b)
      if (c < 0x20 || c > 0x7e) printable = false;
    if (printable) h += "  \"" + safeText(toString(b)) + "\"";  // a PAN in the text is masked
    return h;
  }

  void primitive(int indent, const std::string& name, const std::string& path, const ASN1_VALUE* const* pval,
                 int utype) {
    switch (utype) {
      case V_ASN1_BOOLEAN: {
        const int v = *reinterpret_cast<const int*>(pval);
        if (v != -1) line(indent, name, v ? "TRUE" : "FALSE");
        return;
      }
      case V_ASN1_NULL:
        line(indent, name, "NULL");
        return;
      case V_ASN1_ANY: {
        const auto* t = reinterpret_cast<const ASN1_TYPE*>(*pval);
        if (!t) return;
        unsigned char* der = nullptr;
        const int len = i2d_ASN1_TYPE(t, &der);
        if (len > 0 && der) {
          const Bytes b(der, der + len);
          OPENSSL_free(der);
          if (hooks.any) {
            line(indent, name, "");
            hooks.any(out, indent + 1, path, b);
          } else {
            line(indent, name, "DER " + std::to_string(b.size()) + " octets");
          }
        }
        return;
      }
      case V_ASN1_OBJECT:
        if (*pval) line(indent, name, objectName(reinterpret_cast<const ASN1_OBJECT*>(*pval)));
        return;
      default:
        break;
    }
    const auto* s = reinterpret_cast<const ASN1_STRING*>(*pval);
    if (!s) return;
    switch (utype) {
      case V_ASN1_INTEGER:
      case V_ASN1_ENUMERATED: {
        std::int64_t v = 0;
        const bool fits = utype == V_ASN1_INTEGER ? ASN1_INTEGER_get_int64(&v, s) == 1
                                                  : ASN1_ENUMERATED_get_int64(&v, s) == 1;
        std::string text = fits ? std::to_string(v) : "0x" + hex(octets(s));
        if (utype == V_ASN1_ENUMERATED && fits && hooks.enumName) {
          const std::string n = hooks.enumName(name, v);
          if (!n.empty()) text += " (" + n + ")";
        }
        line(indent, name, text);
        return;
      }
      case V_ASN1_OCTET_STRING:
        // PANData.panSecret is the card's secret (it keys TransStain and the cardholder ID): never shown.
        line(indent, name, name == "panSecret" ? std::to_string(s->length) + " octets (secret, not shown)" : octetText(s));
        return;
      case V_ASN1_GENERALIZEDTIME: {
        const std::string t = safeText(text(s));
        line(indent, name, t.size() == 15 ? t.substr(0, 4) + "-" + t.substr(4, 2) + "-" + t.substr(6, 2) + "T" +
                                                t.substr(8, 2) + ":" + t.substr(10, 2) + ":" + t.substr(12, 2) + "Z"
                                          : t);
        return;
      }
      default: {
        // A peer's string: escaped and PAN-masked wherever it sits; a field named pan is masked whole
        // even when it fails the Luhn check.
        const std::string t = text(s);
        line(indent, name, "\"" + safeText(name == "pan" ? maskPan(t) : t) + "\"");
        return;
      }
    }
  }

  void value(int indent, const std::string& name, const std::string& path, const ASN1_VALUE* const* pval,
             const ASN1_ITEM* it) {
    switch (it->itype) {
      case ASN1_ITYPE_PRIMITIVE:
        if (it->templates) {
          templ(indent, name, path, pval, it->templates);
        } else {
          primitive(indent, name, path, pval, static_cast<int>(it->utype));
        }
        return;
      case ASN1_ITYPE_MSTRING:
        primitive(indent, name, path, pval, V_ASN1_UTF8STRING);
        return;
      case ASN1_ITYPE_SEQUENCE:
      case ASN1_ITYPE_NDEF_SEQUENCE: {
        if (!*pval) return;
        if (hooks.oneLine) {
          const std::string one = hooks.oneLine(it, *pval);
          if (!one.empty()) {
            line(indent, name, one);
            return;
          }
        }
        line(indent, name, name == it->sname ? "" : std::string("(") + it->sname + ")");
        for (long k = 0; k < it->tcount; ++k) {
          const ASN1_TEMPLATE* tt = it->templates + k;
          templ(indent + 1, tt->field_name, path + "." + tt->field_name, fieldOf(*pval, tt), tt);
        }
        return;
      }
      case ASN1_ITYPE_CHOICE: {
        if (!*pval) return;
        const int sel = *reinterpret_cast<const int*>(reinterpret_cast<const char*>(*pval) + it->utype);
        if (sel < 0 || sel >= it->tcount) {
          line(indent, name, "(no alternative)");
          return;
        }
        const ASN1_TEMPLATE* tt = it->templates + sel;
        const std::string alt = fieldName(tt);
        templ(indent, name + " = " + alt, path + "." + alt, fieldOf(*pval, tt), tt);
        return;
      }
      default:
        line(indent, name, std::string("(") + it->sname + ")");
        return;
    }
  }

  void templ(int indent, const std::string& name, const std::string& path, const ASN1_VALUE* const* fld,
             const ASN1_TEMPLATE* tt) {
    const ASN1_ITEM* sub = ASN1_ITEM_ptr(tt->item);
    if (tt->flags & ASN1_TFLG_SK_MASK) {
      const auto* sk = reinterpret_cast<const OPENSSL_STACK*>(*fld);
      if (!sk) return;
      const int n = OPENSSL_sk_num(sk);
      line(indent, name + tagOf(tt), std::to_string(n) + (n == 1 ? " entry" : " entries"));
      for (int k = 0; k < n; ++k) {
        const auto* e = static_cast<const ASN1_VALUE*>(OPENSSL_sk_value(sk, k));
        value(indent + 1, "[" + std::to_string(k) + "]", path, &e, sub);
      }
      return;
    }
    if (tt->flags & ASN1_TFLG_EMBED) {  // the field is the value itself, not a pointer to it
      const auto* embedded = reinterpret_cast<const ASN1_VALUE*>(fld);
      value(indent, name + tagOf(tt), path, &embedded, sub);
      return;
    }
    value(indent, name + tagOf(tt), path, fld, sub);
  }
};

}  // namespace

std::string objectName(const ASN1_OBJECT* o) {
  char dotted[128];
  OBJ_obj2txt(dotted, sizeof dotted, o, 1);
  const int nid = OBJ_obj2nid(o);
  // A peer's OID: its arcs are digits, and a long arc could spell a card number.
  if (nid == NID_undef) return safeText(dotted);
  return std::string(OBJ_nid2ln(nid)) + " (" + safeText(dotted) + ")";
}

void printTree(std::string& out, int indent, const std::string& name, const ASN1_ITEM* item, const ASN1_VALUE* value,
               const TreeHooks& hooks) {
  Walker w{out, hooks};
  w.value(indent, name, name, &value, item);
}

}  // namespace setpay::protocol::asn1
