# protocol/pki: SET certificates, CRLs and chain validation.
target_sources(setpay_protocol_pki PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/pki/asn1_templates.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/pki/extensions.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/pki/issuer.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/pki/hierarchy.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/pki/cardholder.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/pki/crl.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/pki/pem.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/pki/validator.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/pki/carried_trust.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/pki/brand_crl_identifier.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/pki/trust_cache.cpp
)
