# tfmc_add_model(<target> <model.onnx>
#                [NAME <c_identifier>]    prefix of the generated API (default: <target>)
#                [MCPU <cpu>]             host (default), x86-64-v3, x86-64-v4, ...
#                [OPT_LEVEL <0-3>]        default 2
#                [TARGET cpu|cuda]        cpu (default), or NVIDIA GPUs
#                [GPU_ARCH <sm_NN>]       for TARGET cuda: sm_80 (default), sm_90, ...
#                [COMPILE_OPTIONS <args>...])
#
# Compiles the model at build time into <target>, a static library holding
# the model's object, with the generated header <name>.h on its include
# path and the tfmc runtime linked (for TARGET cuda also tfmrt_cuda, which
# the package has when tfmc was built with CUDA). The model is recompiled
# when it (or tfmc) changes.
function(tfmc_add_model target model)
  cmake_parse_arguments(PARSE_ARGV 2 ARG "" "NAME;MCPU;OPT_LEVEL;TARGET;GPU_ARCH"
                        "COMPILE_OPTIONS")
  if(NOT ARG_TARGET)
    set(ARG_TARGET cpu)
  endif()
  if(NOT ARG_GPU_ARCH)
    set(ARG_GPU_ARCH sm_80)
  endif()
  if(ARG_TARGET STREQUAL "cuda" AND NOT TARGET tfmc::tfmrt_cuda)
    message(FATAL_ERROR "tfmc_add_model(${target} ... TARGET cuda): this tfmc was built "
                        "without CUDA (no tfmc::tfmrt_cuda)")
  endif()
  if(NOT ARG_NAME)
    set(ARG_NAME ${target})
  endif()
  if(NOT ARG_MCPU)
    set(ARG_MCPU host)
  endif()
  if(NOT DEFINED ARG_OPT_LEVEL)
    set(ARG_OPT_LEVEL 2)
  endif()
  get_filename_component(model "${model}" ABSOLUTE)
  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/tfmc_models/${target}")
  set(object "${out_dir}/${ARG_NAME}.o")
  set(header "${out_dir}/${ARG_NAME}.h")
  add_custom_command(
    OUTPUT "${object}" "${header}"
    COMMAND tfmc::tfmc compile "${model}" -o "${out_dir}" --name ${ARG_NAME}
            --mcpu=${ARG_MCPU} -O${ARG_OPT_LEVEL} --target=${ARG_TARGET}
            --gpu-arch=${ARG_GPU_ARCH} ${ARG_COMPILE_OPTIONS}
    DEPENDS "${model}" tfmc::tfmc
    COMMENT "tfmc: compiling ${model}"
    VERBATIM)
  set_source_files_properties("${object}" PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
  add_library(${target} STATIC "${object}" "${header}")
  # An archive of a prebuilt object: any enabled language can archive it.
  get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
  if("CXX" IN_LIST languages)
    set_target_properties(${target} PROPERTIES LINKER_LANGUAGE CXX)
  else()
    set_target_properties(${target} PROPERTIES LINKER_LANGUAGE C)
  endif()
  target_include_directories(${target} PUBLIC "${out_dir}")
  # Math functions without LLVM intrinsics (erf, tanh) come from libm.
  target_link_libraries(${target} PUBLIC tfmc::tfmrt m)
  if(ARG_TARGET STREQUAL "cuda")
    target_link_libraries(${target} PUBLIC tfmc::tfmrt_cuda) # brings -ldl
  endif()
endfunction()
