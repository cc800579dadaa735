# protocol/crypto: the SET cryptographic operators. Each helper appends its own lines below.
target_sources(setpay_protocol_crypto PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/crypto/digest.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/crypto/signer.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/crypto/signed_data.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/crypto/signed_data_read.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/crypto/pkcs7_asn1.cpp
)
target_sources(setpay_protocol_crypto PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/crypto/algorithms.cpp)
# crypto-envelope: SET OAEP, E/EH/EX/EXH, Enc/EncB/EncX/EncBX.
target_sources(setpay_protocol_crypto PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/crypto/oaep.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/crypto/envelope_asn1.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/crypto/enveloped_data.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/crypto/composite.cpp
)
