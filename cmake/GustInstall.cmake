# Install gust like fmt: targets under gust::, a config + version file, the
# CMake helpers (gust_add_app) and the CLI. The same package also works from
# the build tree, which is what build/bin/gust uses.
include(CMakePackageConfigHelpers)

set(GUST_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/gust")
set(gust_export_targets)
foreach(t gust_core gust_manifest gust_http gust_runtime gust_aws gust_app gust_gust)
  if(TARGET ${t})
    list(APPEND gust_export_targets ${t})
  endif()
endforeach()

install(TARGETS ${gust_export_targets} EXPORT gustTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/gust DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT gustTargets NAMESPACE gust:: DESTINATION ${GUST_CMAKE_DIR})
install(TARGETS gust_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

configure_package_config_file(cmake/gustConfig.cmake.in "${PROJECT_BINARY_DIR}/gustConfig.cmake"
  INSTALL_DESTINATION ${GUST_CMAKE_DIR})
write_basic_package_version_file("${PROJECT_BINARY_DIR}/gustConfigVersion.cmake" COMPATIBILITY SameMinorVersion)
set(gust_cmake_helpers cmake/GustAddApp.cmake)
if(EXISTS "${PROJECT_SOURCE_DIR}/cmake/GustStatic.cmake")
  list(APPEND gust_cmake_helpers cmake/GustStatic.cmake)
endif()
install(FILES "${PROJECT_BINARY_DIR}/gustConfig.cmake" "${PROJECT_BINARY_DIR}/gustConfigVersion.cmake" ${gust_cmake_helpers}
  DESTINATION ${GUST_CMAKE_DIR})

# Build-tree package: build/gustConfig.cmake finds build/gustTargets.cmake and the helpers in the source tree.
export(EXPORT gustTargets NAMESPACE gust:: FILE "${PROJECT_BINARY_DIR}/gustTargets.cmake")
file(WRITE "${PROJECT_BINARY_DIR}/gustHelpers.cmake"
  "include(\"${PROJECT_SOURCE_DIR}/cmake/GustAddApp.cmake\")\n"
  "if(EXISTS \"${PROJECT_SOURCE_DIR}/cmake/GustStatic.cmake\")\n  include(\"${PROJECT_SOURCE_DIR}/cmake/GustStatic.cmake\")\nendif()\n")
