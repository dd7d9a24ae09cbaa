# What a user's CMake project gets from find_package(chanfuzz): a runner,
# fuzz targets and CTest tests for its own scenarios, and CTest tests for
# its Go test packages. Included by chanfuzz-config.cmake, after
# targets.cmake (chanfuzz_scan_scenarios, chanfuzz_add_fuzz_target).

# The include directories of TARGETS as a compiler sees them in this
# build: for the configure-time scan, which preprocesses scenario files.
function(_chanfuzz_include_dirs_of out_var)
  set(dirs "")
  foreach(target IN LISTS ARGN)
    if(NOT TARGET ${target})
      continue()
    endif()
    get_target_property(target_dirs ${target} INTERFACE_INCLUDE_DIRECTORIES)
    if(target_dirs)
      foreach(dir IN LISTS target_dirs)
        string(REGEX REPLACE "^\\$<BUILD_INTERFACE:(.*)>$" "\\1" dir "${dir}")
        if(NOT dir MATCHES "\\$<")
          list(APPEND dirs "${dir}")
        endif()
      endforeach()
    endif()
  endforeach()
  set(${out_var} "${dirs}" PARENT_SCOPE)
endfunction()

# chanfuzz_add_scenarios(NAME name SOURCES file... [CORPUS dir]
#                        [LINK_LIBRARIES lib...] [INCLUDE_DIRECTORIES dir...])
#
# SOURCES are scenario files (CHANFUZZ_SCENARIO registrations, linked as
# objects so that none is dropped); LINK_LIBRARIES the code they exercise.
# Gives the build:
#   NAME                   the chanfuzz command line over these scenarios
#                          (run, replay, minimize, list, corpus, convert)
#   NAME_corpus            CTest: `NAME corpus check CORPUS` (with CORPUS)
# and with a fuzz flavour (chanfuzz_FUZZ), in ${CMAKE_CURRENT_BINARY_DIR}/NAME-fuzz/:
#   fuzz_SCENARIO_VARIANT  a libFuzzer target per variant, with its
#                          .dict and .options beside it
#   seeds/fuzz_.../        its seed corpus (make-seeds.sh)
#   NAME-fuzz-targets      builds them all, after checking the
#                          configure-time scan against the linked registry
#   NAME_fuzz_target_list  CTest: the same check
function(chanfuzz_add_scenarios)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "NAME;CORPUS" "SOURCES;LINK_LIBRARIES;INCLUDE_DIRECTORIES")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR " chanfuzz_add_scenarios: unknown arguments '${arg_UNPARSED_ARGUMENTS}'")
  endif()
  if(NOT arg_NAME MATCHES "^[A-Za-z0-9_-]+$")
    message(FATAL_ERROR " chanfuzz_add_scenarios: NAME must be [A-Za-z0-9_-]+, not '${arg_NAME}'")
  endif()
  if(NOT arg_SOURCES)
    message(FATAL_ERROR " chanfuzz_add_scenarios(NAME ${arg_NAME}): no SOURCES")
  endif()
  set(name "${arg_NAME}")
  set(sources "")
  foreach(source IN LISTS arg_SOURCES)
    get_filename_component(source "${source}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    if(NOT EXISTS "${source}")
      message(FATAL_ERROR " chanfuzz_add_scenarios(NAME ${name}): no such source '${source}'")
    endif()
    list(APPEND sources "${source}")
  endforeach()

  add_library(${name}_scenarios OBJECT ${sources})
  target_link_libraries(${name}_scenarios PUBLIC chanfuzz::scenario ${arg_LINK_LIBRARIES})
  target_include_directories(${name}_scenarios PRIVATE ${arg_INCLUDE_DIRECTORIES})
  if(CHANFUZZ_FUZZ)
    # The scenarios' edges are what their data looks like to libFuzzer.
    target_compile_options(${name}_scenarios PRIVATE ${CHANFUZZ_FUZZ_LIB_FLAGS})
  endif()

  # The runner: chanfuzz's command line (main included) over these scenarios.
  add_executable(${name} $<TARGET_OBJECTS:${name}_scenarios>)
  target_link_libraries(${name} PRIVATE chanfuzz::cli ${arg_LINK_LIBRARIES})

  if(arg_CORPUS)
    get_filename_component(corpus "${arg_CORPUS}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    if(NOT IS_DIRECTORY "${corpus}")
      message(FATAL_ERROR " chanfuzz_add_scenarios(NAME ${name}): CORPUS '${corpus}' is not a directory")
    endif()
    add_test(NAME ${name}_corpus COMMAND ${name} corpus check "${corpus}")
  endif()

  if(NOT CHANFUZZ_FUZZ)
    return()
  endif()
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${name}-fuzz")
  _chanfuzz_include_dirs_of(link_dirs chanfuzz::scenario ${arg_LINK_LIBRARIES})
  chanfuzz_scan_scenarios(specs SOURCES ${sources}
                          INCLUDE_DIRECTORIES ${chanfuzz_INCLUDE_DIR} ${arg_INCLUDE_DIRECTORIES} ${link_dirs})
  set(target_list "${out}/fuzz-targets.txt")
  string(REPLACE ";" "\n" lines "${specs}")
  file(WRITE "${target_list}" "${lines}\n")

  add_executable(${name}-list-targets "${chanfuzz_FUZZ_DATA_DIR}/list_targets.c")
  target_link_libraries(${name}-list-targets PRIVATE chanfuzz::fuzz_core ${name}_scenarios)
  add_custom_target(${name}-fuzz-target-list-check
    COMMAND ${name}-list-targets --check "${target_list}"
    COMMENT "Checking ${name}'s fuzz targets against its scenario registry")
  add_test(NAME ${name}_fuzz_target_list COMMAND ${name}-list-targets --check "${target_list}")
  add_custom_command(OUTPUT "${out}/seeds/.stamp"
    COMMAND "${chanfuzz_FUZZ_DATA_DIR}/make-seeds.sh" $<TARGET_FILE:${name}-list-targets> "${out}/seeds"
    COMMAND ${CMAKE_COMMAND} -E touch "${out}/seeds/.stamp"
    DEPENDS ${name}-list-targets
    COMMENT "Writing the seed corpus of ${name}'s fuzz targets")
  add_custom_target(${name}-fuzz-targets ALL DEPENDS "${out}/seeds/.stamp")
  add_dependencies(${name}-fuzz-targets ${name}-fuzz-target-list-check)

  foreach(spec IN LISTS specs)
    string(REPLACE ":" ";" parts "${spec}")
    list(GET parts 0 scenario)
    list(GET parts 1 variant)
    chanfuzz_add_fuzz_target(${scenario} ${variant} SCENARIOS ${name}_scenarios
                             OUTPUT_DIRECTORY "${out}" AGGREGATE ${name}-fuzz-targets)
    configure_file("${chanfuzz_FUZZ_DATA_DIR}/scenario.dict" "${out}/fuzz_${scenario}_${variant}.dict" COPYONLY)
    configure_file("${chanfuzz_FUZZ_DATA_DIR}/scenario.options" "${out}/fuzz_${scenario}_${variant}.options"
                   COPYONLY)
  endforeach()
  list(LENGTH specs count)
  message(STATUS "chanfuzz: ${name}: ${count} fuzz targets in ${out}")
endfunction()

# chanfuzz_add_go_tests(NAME name DIR dir [PACKAGES pkg...] [ARGS arg...])
#
# One CTest test: `chanfuzz go test ARGS PACKAGES` (PACKAGES default ".")
# in DIR, a directory of Go tests (gofront/README.md). Passes when every
# test got its verdict (exit 0), fails on a finding nobody expected or a
# missed expectation (1) and on Go the frontend refuses (2).
function(chanfuzz_add_go_tests)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "NAME;DIR" "PACKAGES;ARGS")
  if(arg_UNPARSED_ARGUMENTS OR NOT arg_NAME OR NOT arg_DIR)
    message(FATAL_ERROR " usage: chanfuzz_add_go_tests(NAME name DIR dir [PACKAGES pkg...] [ARGS arg...])")
  endif()
  if(NOT EXISTS "${chanfuzz_GO_FRONTEND}")
    message(FATAL_ERROR " chanfuzz_add_go_tests(NAME ${arg_NAME}): ${chanfuzz_GO_FRONTEND} is not installed "
                        "(chanfuzz was built without Go: scripts/deps.sh installs it)")
  endif()
  get_filename_component(dir "${arg_DIR}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  set(packages ${arg_PACKAGES})
  if(NOT packages)
    set(packages .)
  endif()
  add_test(NAME ${arg_NAME} COMMAND "${chanfuzz_EXECUTABLE}" go test ${arg_ARGS} ${packages}
           WORKING_DIRECTORY "${dir}")
  # Runners are cached per build, not in the user's home.
  set_tests_properties(${arg_NAME} PROPERTIES
                       ENVIRONMENT "CHANFUZZ_GO_CACHE=${CMAKE_CURRENT_BINARY_DIR}/chanfuzz-go-cache")
endfunction()
