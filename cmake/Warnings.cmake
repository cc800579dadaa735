# Project-wide compiler flags: strict warnings (errors in CI), optional sanitizers.
add_library(setpay_flags INTERFACE)
target_compile_options(setpay_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
  -Wnull-dereference -Wimplicit-fallthrough)
if(SETPAY_WERROR)
  target_compile_options(setpay_flags INTERFACE -Werror)
endif()
if(SETPAY_SANITIZE)
  target_compile_options(setpay_flags INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(setpay_flags INTERFACE -fsanitize=address,undefined)
endif()
# Every target includes from the project root: #include "protocol/bytes.hpp".
target_include_directories(setpay_flags INTERFACE ${PROJECT_SOURCE_DIR})
