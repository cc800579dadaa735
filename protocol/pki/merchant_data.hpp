// merchantData (setCext-merchData, 2.23.42.7.2, non-critical): who the merchant is to its acquirer.
// Layout settled in SPEC-CHOICES.md `## pki` (Book 3 text unavailable; field names as recalled):
//   MerchantData ::= SEQUENCE {
//     merID          VisibleString (SIZE(1..30)),
//     merAcquirerBIN NumericString (SIZE(6)),
//     merNameSeq     SEQUENCE SIZE(1..32) OF MerNames,
//     merCountry     INTEGER (1..999),            -- ISO 3166-1 numeric
//     merAuthFlag    BOOLEAN DEFAULT TRUE }       -- may the merchant receive the PAN?
//   MerNames ::= SEQUENCE {
//     language [0] IMPLICIT VisibleString OPTIONAL, name [1] IMPLICIT UTF8String,
//     city [2] IMPLICIT UTF8String, stateProvince [3] IMPLICIT UTF8String OPTIONAL,
//     postalCode [4] IMPLICIT UTF8String OPTIONAL, countryName [5] IMPLICIT UTF8String }
#pragma once

#include <string>
#include <vector>

#include "protocol/bytes.hpp"

namespace setpay::protocol::pki {

struct MerNames {
  std::string language;  // RFC 1766 tag, empty = absent
  std::string name;
  std::string city;
  std::string stateProvince;  // empty = absent
  std::string postalCode;     // empty = absent
  std::string countryName;
  bool operator==(const MerNames&) const = default;
};

struct MerchantData {
  std::string merID;
  std::string merAcquirerBIN;  // 6 digits
  std::vector<MerNames> merNameSeq;
  int merCountry = 0;  // ISO 3166-1 numeric, 1..999
  bool merAuthFlag = true;
  bool operator==(const MerchantData&) const = default;
};

// Strict DER both ways: encoding checks the size constraints above (decodingFailure if violated);
// decoding rejects BER, trailing bytes, inputs over 4 KiB and out-of-range fields.
Bytes encodeMerchantData(const MerchantData&);
MerchantData decodeMerchantData(ByteView der);

}  // namespace setpay::protocol::pki
