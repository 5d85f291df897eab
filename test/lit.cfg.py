# lit configuration for tfmc's regression tests.
import os
import subprocess

import lit.formats
from lit.llvm import llvm_config

config.name = "tfmc"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".onnxtxt", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.tfmc_obj_root, "test")

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.tfmc_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

config.substitutions.append(("%shared", os.path.normpath(config.shared_dir)))
config.substitutions.append(("%onnx_testdata", config.onnx_testdata_dir))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%tfmc_src", config.tfmc_src_root))
config.substitutions.append(("%tfmc_obj", config.tfmc_obj_root))
# Model building needs Debian's torch (system Python); ORT comparisons need
# the .venv that scripts/setup.sh creates. Both are set up in CI: a
# missing one fails the tests that use it rather than skipping them.
config.substitutions.append(("%torch_python", "/usr/bin/python3"))
config.substitutions.append(
    ("%ort_python", os.path.join(config.tfmc_src_root, ".venv", "bin", "python")))

tools = ["tfmc", "tfmc-opt", "FileCheck", "not", "count", "split-file"]
llvm_config.add_tool_substitutions(tools, [config.tfmc_tools_dir, config.llvm_tools_dir])

# tfmrt-cuda: the CUDA loader was built (TFMC_ENABLE_CUDA). cuda-gpu: a GPU
# answers through it, as tfmrt-cuda-probe finds; without one the tests that
# need it are UNSUPPORTED and this says why.
if config.tfmrt_cuda:
    config.available_features.add("tfmrt-cuda")
    probe = os.path.join(config.tfmc_tools_dir, "tfmrt-cuda-probe")
    try:
        result = subprocess.run([probe], capture_output=True, text=True, timeout=60)
        found, answer = result.returncode == 0, result.stdout.strip()
    except (OSError, subprocess.TimeoutExpired) as error:
        found, answer = False, "tfmrt-cuda-probe did not run: %s" % error
    if found:
        config.available_features.add("cuda-gpu")
        lit_config.note("GPU tests run: " + answer)
    else:
        lit_config.note("GPU tests skipped (UNSUPPORTED): " + answer)
