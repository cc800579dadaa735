target_sources(setpay_protocol_purchase PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/purchase/derivations.cpp)
target_sources(setpay_protocol_purchase PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/purchase/offer.cpp)
target_sources(setpay_protocol_purchase PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/purchase/thumbs.cpp)
