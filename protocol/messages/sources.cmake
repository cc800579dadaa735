# protocol/messages: typed SET purchase messages (plain codecs; crypto wiring in sealed*.cpp).
target_sources(setpay_protocol_messages PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/messages/types.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/messages/hardening.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/messages/wrapper.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/messages/codec.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/messages/convert_base.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/messages/convert_purchase.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/messages/convert_payment.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/messages/sealed.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/messages/describe.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/messages/reply.cpp
)
