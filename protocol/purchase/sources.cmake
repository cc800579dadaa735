target_sources(setpay_protocol PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/purchase/derivations.cpp)
target_sources(setpay_protocol PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/purchase/offer.cpp)
