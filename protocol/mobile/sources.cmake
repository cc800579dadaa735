# protocol/mobile: the mobile leg's messages d, e, f (protocol/MOBILE-MESSAGES.md). Pure: no I/O.
target_sources(setpay_protocol_mobile PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/mobile/mobile_templates.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/mobile/messages.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/mobile/codec.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/mobile/field_readers.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/mobile/channel.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/mobile/purchase_values.cpp
)
