# cmake -DGUST=... -DGOLDEN_DIR=... -DWORK=... -P cli_errors.cmake
# `gust synth` on a bad manifest: exit 1, the JSON path and where the
# declaration was written; on a bad --stage: exit 2.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
file(READ "${GOLDEN_DIR}/manifest/hello.manifest.json" manifest)
string(REPLACE "\"memory_mb\": 128" "\"memory_mb\": 64" bad "${manifest}")
if(bad STREQUAL manifest)
  message(FATAL_ERROR "could not spoil hello.manifest.json (no \"memory_mb\": 128 in it)")
endif()
file(WRITE "${WORK}/bad.manifest.json" "${bad}")

function(expect code needle)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL code)
    message(FATAL_ERROR "exit ${rc}, expected ${code}: ${ARGN}\n${out}\n${err}")
  endif()
  string(FIND "${err}" "${needle}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "stderr lacks \"${needle}\": ${ARGN}\n${err}")
  endif()
  if(EXISTS "${WORK}/template.json")
    message(FATAL_ERROR "a failed synth wrote ${WORK}/template.json")
  endif()
endfunction()

expect(1 "functions[0].options.memory_mb: memory_mb is 64: it must be 128 to 10240"
       "${GUST}" synth --manifest "${WORK}/bad.manifest.json" --out "${WORK}")
expect(1 "declared at main.cpp:7" "${GUST}" synth --manifest "${WORK}/bad.manifest.json" --out "${WORK}")
expect(2 "stage \"Prod\" must be" "${GUST}" synth --manifest "${GOLDEN_DIR}/manifest/hello.manifest.json" --stage Prod --out "${WORK}")
expect(1 "cannot read" "${GUST}" synth --manifest "${WORK}/missing.json" --out "${WORK}")
message(STATUS "gust synth reports bad manifests and stages")
