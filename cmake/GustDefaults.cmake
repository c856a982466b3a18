# Standard, warnings and sanitizers shared by every gust target.
function(gust_target_defaults target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  set_target_properties(${target} PROPERTIES CXX_EXTENSIONS OFF POSITION_INDEPENDENT_CODE OFF)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
  if(GUST_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  # A sanitized gust library needs the sanitizer runtime wherever it is linked:
  # apps built against this build's package (gust build, the consumer test) get
  # the flags through the exported targets, so their own code is checked too.
  get_target_property(type ${target} TYPE)
  if(GUST_SANITIZE AND type STREQUAL "STATIC_LIBRARY")
    target_compile_options(${target} INTERFACE ${GUST_SANITIZE_FLAGS})
    target_link_options(${target} INTERFACE ${GUST_SANITIZE_FLAGS})
  endif()
endfunction()

# GUST_SANITIZE=ON (scripts/test.sh --sanitize): ASan + UBSan on everything;
# any UB report aborts (no recovery), so a finding fails its test.
set(GUST_SANITIZE_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
if(GUST_SANITIZE)
  add_compile_options(${GUST_SANITIZE_FLAGS})
  add_link_options(${GUST_SANITIZE_FLAGS})
  include(GustSanitizerEnv)
endif()

# Boost.Asio/Beast: header-only use without deprecated bits; one place for it.
set(GUST_BOOST_DEFINES BOOST_ASIO_NO_DEPRECATED BOOST_JSON_NO_LIB BOOST_URL_NO_LIB)

# Adds every immediate subfolder of `dir` that has a CMakeLists.txt.
function(gust_add_subdirectories dir)
  file(GLOB children LIST_DIRECTORIES true "${dir}/*")
  foreach(child IN LISTS children)
    if(IS_DIRECTORY "${child}" AND EXISTS "${child}/CMakeLists.txt")
      add_subdirectory("${child}")
    endif()
  endforeach()
endfunction()

# gust_skip_when_sanitized(TEST name CASE Suite.Case REASON text)
# A GoogleTest case that cannot work in the sanitized build (a fully static
# binary in an empty root: ASan's runtime is a shared library) runs as its own
# ctest entry there, reported as skipped with the case's GTEST_SKIP reason;
# the rest of the binary runs as usual. No effect in a normal build.
function(gust_skip_when_sanitized)
  cmake_parse_arguments(S "" "TEST;CASE" "" ${ARGN})
  if(NOT GUST_SANITIZE)
    return()
  endif()
  set_property(TEST ${S_TEST} APPEND PROPERTY ENVIRONMENT "GTEST_FILTER=-${S_CASE}")
  get_test_property(${S_TEST} LABELS labels)
  get_test_property(${S_TEST} TIMEOUT timeout)
  add_test(NAME ${S_TEST}.${S_CASE} COMMAND ${S_TEST} --gtest_filter=${S_CASE})
  set_tests_properties(${S_TEST}.${S_CASE} PROPERTIES LABELS "${labels}" TIMEOUT ${timeout}
    SKIP_REGULAR_EXPRESSION "\\[  SKIPPED \\]")
endfunction()
