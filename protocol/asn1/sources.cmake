# protocol/asn1: OpenSSL ASN.1 templates for the SET purchase messages + strict DER codec.
target_sources(setpay_protocol_asn1 PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/asn1/purchase_templates.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/asn1/payment_templates.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/asn1/strict_der.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/asn1/fields.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/asn1/tree_print.cpp
)
