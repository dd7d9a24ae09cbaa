# What `cmake --install` ships for other projects (README.md, "Use it in
# your project"; cmake/README.md has the layout): the libraries and public
# headers, the CMake package `chanfuzz` and pkg-config files.
#
# A build is one flavour: plain, asan (ASan+UBSan) or fuzz (ASan+UBSan and
# libFuzzer's coverage), derived from CHANFUZZ_SANITIZE / CHANFUZZ_FUZZ /
# the sanitizers in CMAKE_C_FLAGS unless CHANFUZZ_FLAVOUR names it. Several
# flavours install side by side into one prefix: a flavour's libraries
# carry its name (libchanfuzz-asan.a; plain's have none), each has its own
# export file, flavour file and pkg-config modules. Headers are shared;
# the programs (bin/) are the last flavour installed.
#
# Included at the end of the top-level CMakeLists.txt: every target exists.
include(CMakePackageConfigHelpers)
include(${CMAKE_CURRENT_LIST_DIR}/chanfuzz-sanitizers.cmake)

set(CHANFUZZ_FLAVOUR "" CACHE STRING
    "Name of this build's installed flavour (empty: plain, asan, fuzz or fuzz-fast from the options)")
chanfuzz_build_c_flags(flavour_flags)
chanfuzz_sanitizers_of(flavour_sanitizers ${flavour_flags})
set(flavour "${CHANFUZZ_FLAVOUR}")
if(flavour STREQUAL "")
  if(CHANFUZZ_FUZZ AND flavour_sanitizers)
    set(flavour fuzz)
  elseif(CHANFUZZ_FUZZ)
    set(flavour fuzz-fast)
  elseif(flavour_sanitizers)
    set(flavour asan)
  else()
    set(flavour plain)
  endif()
elseif(NOT flavour MATCHES "^[a-z][a-z0-9-]*$")
  message(FATAL_ERROR "CHANFUZZ_FLAVOUR must be [a-z][a-z0-9-]*, not '${flavour}'")
endif()
set(suffix "")
if(NOT flavour STREQUAL "plain")
  set(suffix "-${flavour}")
endif()
message(STATUS "chanfuzz: installs the '${flavour}' flavour (sanitizers: '${flavour_sanitizers}')")

# The libraries a user links, by their names in the package
# (chanfuzz::<flavour>::NAME, and chanfuzz::NAME for the flavour chosen).
set(exported
  chanfuzz_runtime:runtime chanfuzz_harness:harness chanfuzz_detect:detect
  chanfuzz_scenario:scenario chanfuzz_isolate:isolate chanfuzz_cli:cli chanfuzz_fuzz_core:fuzz_core
  chanfuzz_fuzz_entry:fuzz_entry chanfuzz_gort:gort)
# `chanfuzz fuzz`: the CLI library links it when it is built.
if(TARGET chanfuzz_fuzz_command)
  list(APPEND exported chanfuzz_fuzz_command:fuzz_command)
endif()
set(exported_targets "")
foreach(pair IN LISTS exported)
  string(REPLACE ":" ";" pair "${pair}")
  list(GET pair 0 target)
  list(GET pair 1 name)
  get_target_property(output ${target} OUTPUT_NAME)
  if(NOT output)
    set(output ${target})
  endif()
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name} OUTPUT_NAME "${output}${suffix}")
  list(APPEND exported_targets ${target})
endforeach()
# Instrumented libraries call __sanitizer_cov_*: whatever links them links
# the runtime that defines them (in-tree, cmake/flags.cmake does it for all).
if(CHANFUZZ_FUZZ)
  target_link_options(chanfuzz_harness INTERFACE $<INSTALL_INTERFACE:-fsanitize=fuzzer-no-link>)
endif()

set(package_dir ${CMAKE_INSTALL_LIBDIR}/cmake/chanfuzz)
set(fuzz_data_dir ${CMAKE_INSTALL_DATADIR}/chanfuzz/fuzz)
install(TARGETS ${exported_targets} EXPORT chanfuzz-${flavour} COMPONENT dev
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        OBJECTS DESTINATION ${CMAKE_INSTALL_LIBDIR}/chanfuzz/objects${suffix})
install(EXPORT chanfuzz-${flavour} NAMESPACE chanfuzz::${flavour}:: COMPONENT dev
        FILE chanfuzz-${flavour}-targets.cmake DESTINATION ${package_dir})

# Besides the package's targets: the libFuzzer entry's objects as an
# archive (pkg-config has no object libraries; chanfuzz go fuzz links it
# whole).
set(archives chanfuzz_fuzz_main)
foreach(target IN LISTS archives)
  set_target_properties(${target} PROPERTIES OUTPUT_NAME ${target}${suffix})
endforeach()
install(TARGETS ${archives} ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)

# `cmake --build B --target chanfuzz-dev && cmake --install B --component
# dev`: only what other projects build against, without the programs
# (scripts/example-check.sh does that on the fuzz stage's build).
add_custom_target(chanfuzz-dev)
add_dependencies(chanfuzz-dev ${exported_targets} ${archives})

# Public headers: the model, the harness, gort, and the fuzz entry's.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime/include/chanfuzz
                  ${PROJECT_SOURCE_DIR}/harness/include/chanfuzz
                  ${PROJECT_SOURCE_DIR}/gofront/gort/include/chanfuzz
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev)
install(FILES ${PROJECT_SOURCE_DIR}/harness/fuzz/fuzz_target.h ${PROJECT_SOURCE_DIR}/harness/fuzz/fuzz_entry.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/chanfuzz/fuzz COMPONENT dev)
# What a user's build compiles per fuzz target, with the file that does it.
install(FILES
  ${PROJECT_SOURCE_DIR}/harness/fuzz/targets.cmake
  ${PROJECT_SOURCE_DIR}/harness/fuzz/target_name.c
  ${PROJECT_SOURCE_DIR}/harness/fuzz/driver_main.c
  ${PROJECT_SOURCE_DIR}/harness/fuzz/list_targets.c
  ${PROJECT_SOURCE_DIR}/harness/fuzz/scenario.dict
  ${PROJECT_SOURCE_DIR}/harness/fuzz/scenario.options
  DESTINATION ${fuzz_data_dir} COMPONENT dev)
install(PROGRAMS ${PROJECT_SOURCE_DIR}/harness/fuzz/make-seeds.sh DESTINATION ${fuzz_data_dir} COMPONENT dev)

# The CMake package. The flavour file records what the user's build is
# checked against (chanfuzz-config.cmake).
set(flavour_file ${CMAKE_CURRENT_BINARY_DIR}/package/chanfuzz-${flavour}-flavour.cmake)
set(fuzz_capable OFF)
if(CHANFUZZ_FUZZ)
  set(fuzz_capable ON)
endif()
string(REPLACE ";" "," sanitizer_list "${flavour_sanitizers}")
set(user_flags "")
if(flavour_sanitizers)
  set(user_flags "-fsanitize=${sanitizer_list}")
endif()
file(WRITE ${flavour_file}
"# chanfuzz flavour '${flavour}' (cmake/install.cmake)
set(chanfuzz_${flavour}_SANITIZERS \"${flavour_sanitizers}\")
set(chanfuzz_${flavour}_C_FLAGS \"${user_flags}\")
set(chanfuzz_${flavour}_COMPILER_ID \"${CMAKE_C_COMPILER_ID}\")
set(chanfuzz_${flavour}_FUZZ ${fuzz_capable})
")
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/chanfuzz-config.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/package/chanfuzz-config.cmake
  INSTALL_DESTINATION ${package_dir}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_BINDIR fuzz_data_dir)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/package/chanfuzz-config-version.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${CMAKE_CURRENT_BINARY_DIR}/package/chanfuzz-config.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/package/chanfuzz-config-version.cmake
  ${flavour_file}
  ${CMAKE_CURRENT_LIST_DIR}/chanfuzz-sanitizers.cmake
  ${CMAKE_CURRENT_LIST_DIR}/chanfuzz-functions.cmake
  DESTINATION ${package_dir} COMPONENT dev)

# pkg-config: chanfuzz (the model), chanfuzz-harness (registry, detectors,
# sources, reports), chanfuzz-cli (the command line, main included: link
# it with scenario objects to get a runner), chanfuzz-fuzz (the libFuzzer
# entry and target helpers), each with the flavour's suffix. Paths are
# relative to the .pc file, so the prefix given to `cmake --install
# --prefix` is the one they name.
set(pc_dir ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
file(RELATIVE_PATH pc_to_prefix /${pc_dir} /)
string(REGEX REPLACE "/$" "" pc_to_prefix "${pc_to_prefix}")
set(pc_flags "${user_flags}")
if(flavour_sanitizers MATCHES "undefined")
  string(APPEND pc_flags " -fno-sanitize-recover=undefined")
endif()
if(CHANFUZZ_FUZZ)
  string(APPEND pc_flags " -fsanitize=fuzzer-no-link")
endif()
string(STRIP "${pc_flags}" pc_flags)
foreach(module chanfuzz chanfuzz-harness chanfuzz-cli chanfuzz-fuzz)
  configure_file(${CMAKE_CURRENT_LIST_DIR}/pkgconfig/${module}.pc.in
                 ${CMAKE_CURRENT_BINARY_DIR}/package/${module}${suffix}.pc @ONLY)
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/package/${module}${suffix}.pc DESTINATION ${pc_dir} COMPONENT dev)
endforeach()
