# Warning, sanitizer and coverage settings applied per target (never globally), and the one helper
# through which every test executable is declared.

function(neurolens_configure_target target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
  if(NEUROLENS_STRICT)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  # Link shared libraries only where used.
  target_link_options(${target} PRIVATE -Wl,--as-needed)
  # Programs load the LibTorch module at run time: building one builds the module.
  get_target_property(_type ${target} TYPE)
  if(_type STREQUAL "EXECUTABLE" AND TARGET neurolens_torch)
    add_dependencies(${target} neurolens_torch)
  endif()
  if(NEUROLENS_SANITIZER)
    string(REPLACE ";" "," _san "${NEUROLENS_SANITIZER}")
    target_compile_options(${target} PRIVATE -fsanitize=${_san} -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=${_san})
  endif()
  if(NEUROLENS_COVERAGE)
    target_compile_options(${target} PRIVATE --coverage)
    target_link_options(${target} PRIVATE --coverage)
  endif()
endfunction()

# neurolens_add_test(NAME name SOURCES a.cpp b.cpp LIBS lib... LABELS core|widgets|rendering|cli|slow
#                    [OWN_MAIN])   OWN_MAIN: the sources define main() (e.g. to create a QApplication)
# One executable per module keeps link times down; each GoogleTest case becomes one ctest test.
function(neurolens_add_test)
  cmake_parse_arguments(T "OWN_MAIN" "NAME" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  if(T_OWN_MAIN)
    target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} neurolens_testsupport GTest::gtest)
  else()
    target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} neurolens_testsupport GTest::gtest GTest::gtest_main)
  endif()
  neurolens_configure_target(${T_NAME})
  # Tests on the (virtual) X display run one at a time: parallel clients were seen to be refused.
  set(_lock "")
  if("widgets" IN_LIST T_LABELS OR "rendering" IN_LIST T_LABELS)
    set(_lock RESOURCE_LOCK x11-display)
  endif()
  gtest_discover_tests(${T_NAME}
    DISCOVERY_MODE PRE_TEST
    PROPERTIES LABELS "${T_LABELS}"
               ENVIRONMENT "NEUROLENS_SOURCE_DIR=${PROJECT_SOURCE_DIR};NEUROLENS_BINARY_DIR=${PROJECT_BINARY_DIR}"
               ${_lock})
endfunction()
