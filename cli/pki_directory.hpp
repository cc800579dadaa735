// A hierarchy directory as `setpay pki init` lays it out (see its README.txt): DIR/profile, one folder
// per entity with cert.pem and key.pem, each CA's crl.pem, cardholders/<id>/ with card.conf. Reading
// and writing it; file access rules in cli/files.hpp (secrets 0600, never overwritten).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "protocol/pki/hierarchy.hpp"
#include "protocol/profile.hpp"

namespace setpay::cli {

// The CAs of a hierarchy directory, in the order they are searched for an issuer.
inline constexpr const char* caNames[] = {"root", "brand", "cca", "mca", "pca"};

protocol::ossl::Cert readCert(const std::filesystem::path& file);
protocol::AlgorithmProfile readProfile(const std::filesystem::path& dir);
protocol::pki::Credential readCredential(const std::filesystem::path& entityDir);
// key.pem (secret: refused if present, and then nothing is written) and cert.pem (public).
void writeCredential(const std::filesystem::path& entityDir, const protocol::pki::Credential&);

// What `setpay pki issue-cardholder` puts on a card: card.conf's fields.
struct CardPersonalisation {
  std::string pan, name, pin;
  std::chrono::year_month expiry;
  std::optional<std::string> msisdn;
};

// Issues one cardholder under DIR/cca and writes CARDDIR (default DIR/cardholders/<unique-id>):
// cert.pem, key.pem and card.conf, the last two refused if present. Prints one line; returns CARDDIR.
std::filesystem::path issueCardholder(const std::filesystem::path& dir, const CardPersonalisation& card,
                                      const std::optional<std::filesystem::path>& out,
                                      const protocol::AlgorithmProfile& profile);

// '<CN>' [<SET certificate type>], the CN escaped and PAN-masked.
std::string describeSubject(const X509* cert);
// YYYY-MM-DDTHH:MM:SSZ
std::string utc(protocol::TimePoint t);
std::optional<protocol::TimePoint> parseUtc(const std::string& s);

}  // namespace setpay::cli
