# Standard, warnings and sanitizers shared by every gust target.
function(gust_target_defaults target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  set_target_properties(${target} PROPERTIES CXX_EXTENSIONS OFF POSITION_INDEPENDENT_CODE OFF)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
  if(GUST_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

if(GUST_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
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
