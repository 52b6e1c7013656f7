#!/usr/bin/env bash
# The GPU path, for whenever a GPU is at hand (no GPU was lent to the sessions that built it): builds bench with the
# CUDA natives (-Pcuda: ai.djl.pytorch:pytorch-native-cu124, libtorch for CUDA 12.4, about 2.3 GB from Maven
# Central), prints what DJL sees, then trains the small CNN and runs one unlearning job on the GPU, printing the
# device and the timings (dev.rumstream.bench.GpuCheck). Exit code 1 when DJL sees no GPU.
#   bench/gpu-check.sh                       # on the GPU
#   bench/gpu-check.sh --device CPU          # the same on the CPU, to compare
# Needs an NVIDIA driver for CUDA 12.4 (>= 550) and the CUDA 12.4 runtime (libcudart) on the loader's path, as the
# CUDA image has it (nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04); in that image run `rumstream doctor` instead.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  "${MVN:-mvn}" -q -Pcuda -pl bench -am package -Dmaven.test.skip=true
fi
SKIP_BUILD=1 exec bench/run.sh GpuCheck "$@"
