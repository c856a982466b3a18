# gust_add_test(NAME SOURCES... [LIBS libs...] [LABELS labels...] [ARGS args...])
# One GoogleTest executable registered with ctest under the given labels.
function(gust_add_test name)
  cmake_parse_arguments(T "" "WORKING_DIRECTORY;TIMEOUT" "SOURCES;LIBS;LABELS;ARGS;ENV" ${ARGN})
  set(sources ${T_SOURCES} ${T_UNPARSED_ARGUMENTS})
  add_executable(${name} ${sources})
  gust_target_defaults(${name})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest_main GTest::gmock)
  target_compile_definitions(${name} PRIVATE
    GUST_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    GUST_BINARY_DIR="${PROJECT_BINARY_DIR}"
    GUST_SHARED_DIR="${GUST_SHARED_DIR}")
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${PROJECT_BINARY_DIR}/tests")
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  add_test(NAME ${name} COMMAND ${name} ${T_ARGS})
  set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT})
  if(T_WORKING_DIRECTORY)
    set_tests_properties(${name} PROPERTIES WORKING_DIRECTORY "${T_WORKING_DIRECTORY}")
  endif()
  if(T_ENV)
    set_tests_properties(${name} PROPERTIES ENVIRONMENT "${T_ENV}")
  endif()
endfunction()

# ../shared next to the checkout holds the peers, the oracle and the fixtures.
get_filename_component(GUST_SHARED_DIR "${PROJECT_SOURCE_DIR}/../shared" ABSOLUTE)
set(GUST_SHARED_DIR "${GUST_SHARED_DIR}" CACHE PATH "The shared/ folder (tools, testdata)")
