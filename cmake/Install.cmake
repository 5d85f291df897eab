# `cmake --install` gives a relocatable package: bin/tfmc, lib/libtfmrt.a
# (and lib/libtfmrt_cuda.a with TFMC_ENABLE_CUDA),
# include/tfmrt/, and lib/cmake/tfmc for find_package(tfmc). tfmc looks for
# the runtime at ../lib/libtfmrt.a from its own binary, so both go to
# fixed folders rather than a multiarch libdir.
include(CMakePackageConfigHelpers)

set(TFMC_CMAKE_DIR lib/cmake/tfmc)

# libMLIR.so and libLLVM.so live outside the loader's default path.
set_target_properties(tfmc PROPERTIES INSTALL_RPATH "${LLVM_LIBRARY_DIR}")
install(TARGETS tfmc EXPORT tfmcTargets RUNTIME DESTINATION bin)
install(TARGETS tfmrt EXPORT tfmcTargets ARCHIVE DESTINATION lib)
if(TFMC_ENABLE_CUDA)
  install(TARGETS tfmrt_cuda EXPORT tfmcTargets ARCHIVE DESTINATION lib)
endif()
install(DIRECTORY runtime/include/tfmrt DESTINATION include)
install(EXPORT tfmcTargets NAMESPACE tfmc:: DESTINATION ${TFMC_CMAKE_DIR})

configure_package_config_file(cmake/tfmcConfig.cmake.in
  ${PROJECT_BINARY_DIR}/tfmcConfig.cmake INSTALL_DESTINATION ${TFMC_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/tfmcConfigVersion.cmake
  VERSION ${TFMC_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/tfmcConfig.cmake
              ${PROJECT_BINARY_DIR}/tfmcConfigVersion.cmake
              cmake/TfmcAddModel.cmake
        DESTINATION ${TFMC_CMAKE_DIR})
