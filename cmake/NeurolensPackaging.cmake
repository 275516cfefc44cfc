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
