# The flags chanfuzz's build and an installed package agree on: libFuzzer's
# coverage, and which sanitizers a set of flags turns on.
#
# -fsanitize=fuzzer turns on stack-depth tracking among its coverage
# kinds; depth is meaningless across coroutine stacks, so it is off.
set(CHANFUZZ_FUZZ_LIB_FLAGS -fsanitize=fuzzer-no-link -fno-sanitize-coverage=stack-depth)
set(CHANFUZZ_FUZZ_TARGET_FLAGS -fsanitize=fuzzer -fno-sanitize-coverage=stack-depth)

# chanfuzz_sanitizers_of(OUT_VAR FLAG...): the sanitizers a set of compiler
# flags turns on, sorted ("address;undefined"), from every -fsanitize= and
# -fno-sanitize= in order. libFuzzer's fuzzer and fuzzer-no-link are not
# counted: they are coverage, which chanfuzz_add_scenarios adds itself.
#
# Used by chanfuzz's build to record what an installed flavour was built
# with, and by the installed package to check a user's build against it:
# the two must agree, so it is one function.
function(chanfuzz_sanitizers_of out_var)
  set(on "")
  string(REPLACE ";" " " text "${ARGN}")
  string(REGEX MATCHALL "-f(no-)?sanitize=[A-Za-z0-9_,-]+" switches "${text}")
  foreach(switch IN LISTS switches)
    string(REGEX MATCH "^-f(no-)?sanitize=(.*)$" _ "${switch}")
    set(negated "${CMAKE_MATCH_1}")
    string(REPLACE "," ";" names "${CMAKE_MATCH_2}")
    foreach(name IN LISTS names)
      if(name MATCHES "^fuzzer(-no-link)?$")
        continue()
      endif()
      if(negated)
        list(REMOVE_ITEM on "${name}")
      else()
        list(APPEND on "${name}")
      endif()
    endforeach()
  endforeach()
  list(REMOVE_DUPLICATES on)
  list(SORT on)
  set(${out_var} "${on}" PARENT_SCOPE)
endfunction()

# chanfuzz_build_c_flags(OUT_VAR): every C flag this directory's targets are
# compiled with: CMAKE_C_FLAGS, the build type's, add_compile_options().
function(chanfuzz_build_c_flags out_var)
  set(flags "${CMAKE_C_FLAGS}")
  if(CMAKE_BUILD_TYPE)
    string(TOUPPER "${CMAKE_BUILD_TYPE}" type)
    string(APPEND flags " ${CMAKE_C_FLAGS_${type}}")
  endif()
  get_property(options DIRECTORY PROPERTY COMPILE_OPTIONS)
  string(REPLACE ";" " " options "${options}")
  set(${out_var} "${flags} ${options}" PARENT_SCOPE)
endfunction()
