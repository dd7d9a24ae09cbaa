# How CMake learns the scenario variants, and the function that makes a
# fuzz target of one.
#
# Scenarios register themselves in a linker section (chanfuzz/scenario.h),
# so only a linked program knows the list for sure -- but CMake must know
# it at configure time to make one target per variant. So:
#   1. configure time: every scenarios/**/*.c is run through the C
#      preprocessor (macros such as the demo's DEMO_SCENARIO expand to the
#      literal `.name = "first_result"`) and each registration's name and
#      variants are read from the expansion. Each scenario file is a
#      configure dependency: editing one re-runs this scan (about 60 ms a
#      file).
#   2. build time: `fuzz-targets` runs chanfuzz-list-targets --check,
#      which compares the scan with the registry the linker gathered and
#      fails, naming the difference, if they disagree (a registration the
#      scan could not read). The scan can miss; it cannot miss silently.

# This file serves chanfuzz's own build (harness/fuzz/CMakeLists.txt) and,
# installed beside the sources it compiles into each target, a user's
# build (chanfuzz_add_scenarios, cmake/chanfuzz-functions.cmake). The
# fuzz libraries are named chanfuzz::fuzz_entry and chanfuzz::fuzz_core in
# both (aliases in-tree, imported targets installed).

# chanfuzz_scan_scenarios(OUT_VAR [SOURCES file...] [INCLUDE_DIRECTORIES dir...]):
# "NAME:VARIANT" per registered variant, sorted as the registry sorts (by
# name, buggy before fixed). Without SOURCES: chanfuzz's own scenarios/.
function(chanfuzz_scan_scenarios out_var)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;INCLUDE_DIRECTORIES")
  if(arg_SOURCES)
    set(sources ${arg_SOURCES})
    set(includes ${arg_INCLUDE_DIRECTORIES})
  else()
    file(GLOB_RECURSE sources CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/scenarios/*.c")
    set(includes "${PROJECT_SOURCE_DIR}/runtime/include" "${PROJECT_SOURCE_DIR}/harness/include")
  endif()
  list(TRANSFORM includes PREPEND "-I")
  set(keys "")
  foreach(source IN LISTS sources)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${source}")
    get_filename_component(source_dir "${source}" DIRECTORY)
    execute_process(
      COMMAND "${CMAKE_C_COMPILER}" -E -P -std=gnu11 ${includes} "-I${source_dir}" "${source}"
      OUTPUT_VARIABLE text ERROR_VARIABLE errors RESULT_VARIABLE status)
    if(NOT status EQUAL 0)
      # A file another hand is half-way through: its targets appear at the
      # next configure, and the build-time check says so meanwhile.
      message(WARNING "chanfuzz: cannot preprocess ${source}; its fuzz targets are left out")
      continue()
    endif()
    # Semicolons would split CMake lists; nothing below needs them.
    string(REPLACE ";" "," text "${text}")
    set(marker "section(\"chanfuzz_scenarios\")")
    string(FIND "${text}" "${marker}" at)
    while(NOT at EQUAL -1)
      string(LENGTH "${marker}" marker_length)
      math(EXPR after "${at} + ${marker_length}")
      string(SUBSTRING "${text}" ${after} -1 text)
      # This registration runs to the next one (or the end of the file).
      string(FIND "${text}" "${marker}" at)
      if(at EQUAL -1)
        set(chunk "${text}")
      else()
        string(SUBSTRING "${text}" 0 ${at} chunk)
      endif()
      set(ws "[ \t\r\n]*")
      string(REGEX MATCH "\\.name${ws}=${ws}\"([a-z0-9_]+)\"" name_match "${chunk}")
      if(NOT name_match)
        message(WARNING "chanfuzz: a registration in ${source} has no literal .name; "
                        "the build-time check will name it")
        continue()
      endif()
      set(name "${CMAKE_MATCH_1}")
      foreach(variant buggy fixed)
        string(REGEX MATCH "\\.${variant}${ws}=${ws}{${ws}(\\.main${ws}=${ws})?([A-Za-z_][A-Za-z0-9_]*)"
               variant_match "${chunk}")
        if(variant_match AND NOT CMAKE_MATCH_2 MATCHES "^(NULL|0)$")
          # A space sorts below every name character, so "a buggy" comes
          # before "a0 buggy" as the registry's strcmp on names has it.
          list(APPEND keys "${name} ${variant}")
        endif()
      endforeach()
    endwhile()
  endforeach()
  list(SORT keys)
  list(REMOVE_DUPLICATES keys)
  list(TRANSFORM keys REPLACE " " ":")
  set(${out_var} "${keys}" PARENT_SCOPE)
endfunction()

# chanfuzz_add_fuzz_target(SCENARIO VARIANT [TARGET NAME] [COUNTER_BYTES N]
#                          [AGGREGATE NAME] [SCENARIOS LIBRARY]
#                          [OUTPUT_DIRECTORY DIR])
#
# One executable running SCENARIO:VARIANT of the scenario objects SCENARIOS
# (default chanfuzz_scenarios, the catalogue), named fuzz_SCENARIO_VARIANT
# unless TARGET says otherwise, in OUTPUT_DIRECTORY (default
# ${CMAKE_BINARY_DIR}/fuzz/). With
# CHANFUZZ_FUZZ a libFuzzer target; without, the standalone driver built
# for that variant. COUNTER_BYTES builds it with its own size of
# interleaving counters (bench/feedback.sh compares sizes). Every target
# joins the aggregate `fuzz-targets`, or AGGREGATE when given.
function(chanfuzz_add_fuzz_target scenario variant)
  cmake_parse_arguments(PARSE_ARGV 2 arg ""
                        "TARGET;COUNTER_BYTES;AGGREGATE;SCENARIOS;OUTPUT_DIRECTORY" "")
  set(target "fuzz_${scenario}_${variant}")
  if(arg_TARGET)
    set(target "${arg_TARGET}")
  endif()
  set(scenarios chanfuzz_scenarios)
  if(arg_SCENARIOS)
    set(scenarios "${arg_SCENARIOS}")
  endif()
  set(output "${CMAKE_BINARY_DIR}/fuzz")
  if(arg_OUTPUT_DIRECTORY)
    set(output "${arg_OUTPUT_DIRECTORY}")
  endif()
  # This file's folder: harness/fuzz in-tree, share/chanfuzz/fuzz installed.
  set(here "${CMAKE_CURRENT_FUNCTION_LIST_DIR}")
  if(CHANFUZZ_FUZZ)
    add_executable(${target} "${here}/target_name.c")
  else()
    # Left out of `all` in plain builds: CTest uses the generic driver.
    add_executable(${target} EXCLUDE_FROM_ALL "${here}/target_name.c" "${here}/driver_main.c")
  endif()
  target_compile_definitions(${target} PRIVATE "CHANFUZZ_TARGET=\"${scenario}:${variant}\"")
  if(DEFINED arg_COUNTER_BYTES)
    target_sources(${target} PRIVATE "${here}/fuzz_entry.c" "${here}/fuzz_multi.c" "${here}/feedback.c")
    target_compile_definitions(${target} PRIVATE "CHANFUZZ_FEEDBACK_BYTES=${arg_COUNTER_BYTES}")
  else()
    target_link_libraries(${target} PRIVATE chanfuzz::fuzz_entry)
  endif()
  target_link_libraries(${target} PRIVATE chanfuzz::fuzz_core ${scenarios})
  if(CHANFUZZ_FUZZ AND CHANFUZZ_FUZZ_ENGINE)
    # OSS-Fuzz and ClusterFuzzLite name the engine ($LIB_FUZZING_ENGINE):
    # -fsanitize=fuzzer, or an archive such as AFL++'s driver.
    separate_arguments(engine NATIVE_COMMAND "${CHANFUZZ_FUZZ_ENGINE}")
    target_compile_options(${target} PRIVATE ${CHANFUZZ_FUZZ_LIB_FLAGS})
    target_link_options(${target} PRIVATE ${engine})
  elseif(CHANFUZZ_FUZZ)
    target_compile_options(${target} PRIVATE ${CHANFUZZ_FUZZ_TARGET_FLAGS})
    target_link_options(${target} PRIVATE ${CHANFUZZ_FUZZ_TARGET_FLAGS})
  endif()
  set_target_properties(${target} PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${output}")
  if(arg_AGGREGATE)
    add_dependencies(${arg_AGGREGATE} ${target})
  else()
    add_dependencies(fuzz-targets ${target})
  endif()
endfunction()
