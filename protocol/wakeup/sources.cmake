# protocol/wakeup: the application/set-payment-initiation message.
target_sources(setpay_protocol_wakeup PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/wakeup/wakeup.cpp)
