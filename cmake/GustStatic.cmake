# gust_make_static(target)
# Links an executable fully static (glibc, libstdc++, libgcc): the shape the
# deploy package ships as `bootstrap`, which runs in an empty root.
#
# The runtime never calls getaddrinfo (src/runtime/endpoint.hpp), so glibc's
# NSS warning for static links does not apply to the Runtime API path.
# Sections are split and collected so unused code (TLS in apps without AWS
# grants) stays out. A sanitizer build cannot link statically (ASan's runtime
# is a shared library): there the target stays dynamic and GUST_STATIC_SKIPPED
# is set on it. Apps built against a sanitized gust package (gust package in
# the sanitized test suite) see it in gust::core's link options.
function(gust_make_static target)
  get_target_property(type ${target} TYPE)
  if(NOT type STREQUAL "EXECUTABLE")
    message(FATAL_ERROR "gust_make_static(${target}): only executables can be linked static")
  endif()
  set(sanitized ${GUST_SANITIZE})
  if(NOT sanitized AND TARGET gust::core)
    get_target_property(core_link_options gust::core INTERFACE_LINK_OPTIONS)
    if(core_link_options MATCHES "-fsanitize=")
      set(sanitized ON)
    endif()
  endif()
  if(sanitized)
    set_target_properties(${target} PROPERTIES GUST_STATIC_SKIPPED TRUE)
    return()
  endif()
  target_compile_options(${target} PRIVATE -ffunction-sections -fdata-sections)
  target_link_options(${target} PRIVATE -static -Wl,--gc-sections)
endfunction()
