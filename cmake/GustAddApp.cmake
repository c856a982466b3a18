# gust_add_app(NAME SOURCES... [STATIC])
# Builds a gust app: one executable holding every handler. STATIC links it
# fully static, as the deploy package ships it (`bootstrap`).
function(gust_add_app name)
  cmake_parse_arguments(APP "STATIC" "" "SOURCES" ${ARGN})
  set(sources ${APP_SOURCES} ${APP_UNPARSED_ARGUMENTS})
  add_executable(${name} ${sources})
  target_link_libraries(${name} PRIVATE gust::gust)
  target_compile_features(${name} PRIVATE cxx_std_20)
  gust_app_marker(${name})
  # gust dev's build type: gust's headers parsed once into a precompiled
  # header, so an edit recompiles only the app's own code (bench/devcloud).
  if(CMAKE_BUILD_TYPE STREQUAL "GustDev")
    target_precompile_headers(${name} PRIVATE <gust/gust.hpp>)
  endif()
  # GUST_STATIC_APPS=ON (what `gust package` configures) links every app static.
  if(APP_STATIC OR GUST_STATIC_APPS)
    if(COMMAND gust_make_static)
      gust_make_static(${name})
    else()
      target_link_options(${name} PRIVATE -static)
    endif()
  endif()
endfunction()

# Each app leaves a marker with its binary's path for the gust CLI.
function(gust_app_marker name)
  file(GENERATE OUTPUT "${CMAKE_BINARY_DIR}/gust-apps/${name}.path" CONTENT "$<TARGET_FILE:${name}>\n")
endfunction()
