# Compile flags shared by every chanfuzz target.
#
# -ffile-prefix-map   sites (__FILE__) read "runtime/chan.c", identical in
#                     every clone, so traces and reports are too
# -fstack-clash-protection  a large frame probes page by page and cannot
#                     jump over a goroutine's guard page
# -frounding-math     with the FP control save in the switch, keeps traces
#                     byte-identical across gcc and clang
# -fno-omit-frame-pointer   readable sanitizer stacks across coroutines
# -Wno-missing-field-initializers  a zero field means "the default" in every
#                     config and registration ({fn, .expect = ...}); clang
#                     would flag each one
add_compile_options(
  -Wall -Wextra -Wshadow -Wstrict-prototypes -Wno-unused-parameter
  -Wno-missing-field-initializers
  "-ffile-prefix-map=${CMAKE_SOURCE_DIR}/="
  -fstack-clash-protection
  -frounding-math
  -fno-omit-frame-pointer)

if(CHANFUZZ_CHECKS)
  add_compile_definitions(CF_CHECKS=1)
endif()

if(CHANFUZZ_SANITIZE STREQUAL "address")
  set(CHANFUZZ_SAN_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined)
  add_compile_options(${CHANFUZZ_SAN_FLAGS})
  add_link_options(${CHANFUZZ_SAN_FLAGS})
elseif(NOT CHANFUZZ_SANITIZE STREQUAL "")
  message(FATAL_ERROR "CHANFUZZ_SANITIZE must be '' or 'address', not '${CHANFUZZ_SANITIZE}'")
endif()

if(CHANFUZZ_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "CHANFUZZ_FUZZ needs clang (libFuzzer)")
  endif()
  # CHANFUZZ_FUZZ_LIB_FLAGS, CHANFUZZ_FUZZ_TARGET_FLAGS: shared with the
  # installed package.
  include(${CMAKE_CURRENT_LIST_DIR}/chanfuzz-sanitizers.cmake)
  # Instrumented libraries call __sanitizer_cov_*; every program linking
  # them (tests, benchmarks, the standalone driver) gets the runtime that
  # defines them. Fuzz targets add -fsanitize=fuzzer (harness/fuzz).
  add_link_options(-fsanitize=fuzzer-no-link)
endif()

# clang's integrated assembler ignores -ffile-prefix-map: the DWARF of the
# .S files would name the build directory, which an installed library must
# not (cmake/install.cmake).
if(CMAKE_ASM_COMPILER_ID MATCHES "Clang")
  add_compile_options($<$<COMPILE_LANGUAGE:ASM>:-fdebug-compilation-dir=.>)
endif()
