# protocol/text: PAN scrubber and escaping for every output path.
target_sources(setpay_protocol_text PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/text/scrub.cpp)
