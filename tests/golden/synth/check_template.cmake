# cmake -DGUST=... -DNAME=... -DGOLDEN_DIR=... -DWORK=... -DCFN_CHECK=... -DCFN_LINT=... -DPYTHON=...
#       (-DAPP=app-binary | -DMANIFEST=file.manifest.json) -P check_template.cmake
# With APP: the app's manifest must match GOLDEN_DIR/manifest/NAME.manifest.json.
# Then the template of the manifest must match GOLDEN_DIR/synth/NAME.template.json,
# both the JSON and the YAML form must pass cfn-check --strict-iam (the JSON
# also AWS's own validator, --aws-validate) and cfn-lint, and the YAML must
# read back as the same document as the JSON.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(run_out "${out}" PARENT_SCOPE)
endfunction()

function(compare_golden actual golden)
  if("$ENV{UPDATE_GOLDEN}" STREQUAL "1")
    configure_file("${actual}" "${golden}" COPYONLY)
    message(STATUS "updated ${golden}")
    return()
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${actual}" "${golden}" RESULT_VARIABLE differ)
  if(differ)
    execute_process(COMMAND diff -u "${golden}" "${actual}" OUTPUT_VARIABLE d)
    message(FATAL_ERROR "${actual} differs from ${golden} (UPDATE_GOLDEN=1 ctest -R golden rewrites it after review):\n${d}")
  endif()
endfunction()

if(DEFINED APP)
  run("${APP}" manifest)
  set(MANIFEST "${WORK}/manifest.json")
  file(WRITE "${MANIFEST}" "${run_out}")
  compare_golden("${MANIFEST}" "${GOLDEN_DIR}/manifest/${NAME}.manifest.json")
endif()

run("${GUST}" synth --manifest "${MANIFEST}" --out "${WORK}")
compare_golden("${WORK}/template.json" "${GOLDEN_DIR}/synth/${NAME}.template.json")
run("${GUST}" synth --manifest "${MANIFEST}" --out "${WORK}" --format yaml)
run("${PYTHON}" "${CMAKE_CURRENT_LIST_DIR}/yaml_equals_json.py" "${WORK}/template.yaml" "${WORK}/template.json")

run("${CFN_CHECK}" --strict-iam --aws-validate "${WORK}/template.json")
run("${CFN_CHECK}" --strict-iam "${WORK}/template.yaml")
if(CFN_LINT)
  run("${CFN_LINT}" --non-zero-exit-code error "${WORK}/template.json" "${WORK}/template.yaml")
else()
  message(STATUS "cfn-lint is not installed: validated with cfn-check only")
endif()
message(STATUS "${NAME}: the template matches its golden; JSON and YAML agree and pass cfn-check --strict-iam and cfn-lint")
