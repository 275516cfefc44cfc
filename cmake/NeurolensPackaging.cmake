# Installation of the desktop integration and a Debian package through CPack:
#   cmake --build build/dev --target package   ->   build/dev/neurolens_<version>_<arch>.deb
# The package's dependencies come from dpkg-shlibdeps on the installed binaries (the runtime libraries of
# Qt 6, VTK 9, LibTorch, HDF5, ...), so it installs on any Debian 12 with those packages.
include(GNUInstallDirs)
set(_linux ${PROJECT_SOURCE_DIR}/packaging/linux)
if(NEUROLENS_BUILD_GUI)
  install(FILES ${_linux}/org.neurolens.Neurolens.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  install(FILES ${_linux}/org.neurolens.Neurolens.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
  install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/neurolens.svg
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps RENAME org.neurolens.Neurolens.svg)
  install(FILES ${_linux}/neurolens-mime.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/mime/packages RENAME neurolens.xml)
endif()
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/packaging/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})

# Man pages (help2man, from the programs' own --help) and neurolens-cli's bash completion (from its
# --help), made when the programs are built. Not under sanitizers: their programs are for tests.
find_program(NEUROLENS_HELP2MAN help2man)
if(NEUROLENS_HELP2MAN AND NOT NEUROLENS_SANITIZER)
  set(_man ${PROJECT_BINARY_DIR}/man)
  set(_cli_commands simulate info convert pca tsne embed "train vae" "train cebra" align decode report significance)
  add_custom_command(OUTPUT ${_man}/neurolens-cli.1.gz
    COMMAND ${CMAKE_COMMAND} -E make_directory ${_man}
    COMMAND ${PROJECT_SOURCE_DIR}/scripts/make-man.sh $<TARGET_FILE:neurolens-cli> ${PROJECT_VERSION}
            ${_man}/neurolens-cli.1.gz "how a visual-cortex population encodes a movie, headless" ${_cli_commands}
    DEPENDS neurolens-cli ${PROJECT_SOURCE_DIR}/scripts/make-man.sh ${PROJECT_SOURCE_DIR}/packaging/man/neurolens-cli.h2m
    VERBATIM)
  add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/completion/neurolens-cli
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/completion
    COMMAND ${PROJECT_SOURCE_DIR}/scripts/make-completion.sh $<TARGET_FILE:neurolens-cli>
            ${PROJECT_BINARY_DIR}/completion/neurolens-cli
    DEPENDS neurolens-cli ${PROJECT_SOURCE_DIR}/scripts/make-completion.sh VERBATIM)
  set(_docs ${_man}/neurolens-cli.1.gz ${PROJECT_BINARY_DIR}/completion/neurolens-cli)
  install(FILES ${_man}/neurolens-cli.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  install(FILES ${PROJECT_BINARY_DIR}/completion/neurolens-cli DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
  if(NEUROLENS_BUILD_GUI)
    add_custom_command(OUTPUT ${_man}/neurolens.1.gz
      COMMAND ${CMAKE_COMMAND} -E make_directory ${_man}
      COMMAND ${PROJECT_SOURCE_DIR}/scripts/make-man.sh $<TARGET_FILE:neurolens> ${PROJECT_VERSION}
              ${_man}/neurolens.1.gz "explore how a visual-cortex population encodes a movie"
      DEPENDS neurolens ${PROJECT_SOURCE_DIR}/scripts/make-man.sh ${PROJECT_SOURCE_DIR}/packaging/man/neurolens.h2m
      VERBATIM)
    list(APPEND _docs ${_man}/neurolens.1.gz)
    install(FILES ${_man}/neurolens.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  endif()
  add_custom_target(neurolens-docs ALL DEPENDS ${_docs})
else()
  message(STATUS "help2man not found (or a sanitizer build): no man pages or shell completion")
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME neurolens)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "neurolens")
set(CPACK_PACKAGE_CONTACT "neurolens developers <neurolens@invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY neurolens)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Mesa's drivers for the 3D view and a font for the figures are loaded at run time, not linked.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libgl1-mesa-dri, fonts-dejavu-core, libqt6svg6")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Explore how a visual-cortex population encodes a movie
Open Allen Brain Observatory Neuropixels sessions (NWB) or native HDF5 files: units, areas and repeats,
rasters, 3D PCA and t-SNE clouds coloured by movie frame, frame decoding with chance levels and
shuffle controls, VAE and CEBRA embeddings, and whether the latents explain the neurons. neurolens-cli
runs the same analyses headless.")
set(CPACK_STRIP_FILES ON)
include(CPack)
