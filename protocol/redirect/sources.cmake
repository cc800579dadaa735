# protocol/redirect: message c, the redirected wake-up (XML envelope, client authentication data).
target_sources(setpay_protocol_redirect PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/redirect/msisdn.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/redirect/redirect_error.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/redirect/base64.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/redirect/utc_time.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/redirect/merchant_url.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/redirect/envelope.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/redirect/envelope_parse.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/redirect/schema.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/redirect/sign.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/redirect/password.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/redirect/replay.cpp
)
# The XSD is compiled into the library, so a service validates without the source tree.
set(setpay_redirect_xsd ${CMAKE_CURRENT_SOURCE_DIR}/redirect/redirect-envelope.xsd)
file(READ ${setpay_redirect_xsd} SETPAY_REDIRECT_XSD)
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/redirect/schema_text.cpp.in
               ${CMAKE_CURRENT_BINARY_DIR}/redirect/schema_text.cpp @ONLY)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${setpay_redirect_xsd})
target_sources(setpay_protocol_redirect PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/redirect/schema_text.cpp)
# libxml2 and Boost.URL stay out of the public headers.
target_link_libraries(setpay_protocol_redirect PRIVATE LibXml2::LibXml2 Boost::url)
