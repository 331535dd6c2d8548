#!/usr/bin/env bash
# Builds and runs ConvScope's libFuzzer targets, one per reader (docs/reliability.md).
#
#   Scripts/fuzz.sh TARGET SECONDS   # TARGET: onnx, spec, keras, caffe, coreml, tflite, gguf or safetensors
#   Scripts/fuzz.sh all SECONDS      # each target in turn, SECONDS each
#   Scripts/fuzz.sh build            # build the targets only
#
# The library, Yams and ZIPFoundation are built by SwiftPM with libFuzzer's coverage and
# AddressSanitizer instrumentation into .build-fuzz (git-ignored); each target
# (Fuzz/Targets/<Format>Fuzz.swift + FuzzHarness.swift) is linked against those objects by
# `swiftc -sanitize=fuzzer,address`. Both steps are incremental.
#
# A run reads the working corpus .build-fuzz/corpus/TARGET (seeded from the fixtures listed in
# Fuzz/Seeds/TARGET.txt, then grown by the fuzzer) and the committed inputs of
# Fuzz/Corpus/TARGET, mutates with Fuzz/Dictionaries/TARGET.dict, and stops with a non-zero
# status at the first crash, sanitizer report, leak, input slower than 10 s or use of more
# than 2 GB; the input is saved in .build-fuzz/artifacts/TARGET/. Extra libFuzzer flags may
# follow SECONDS (for example -jobs=2 or -max_len=4096); with -jobs each job's log is
# .build-fuzz/logs/TARGET/fuzz-JOB.log.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(onnx spec keras caffe coreml tflite gguf safetensors)
out=.build-fuzz
config=release
export SWIFT_BACKTRACE=enable=no  # the Swift backtracer and AddressSanitizer both want the signals

usage() {
  echo "usage: Scripts/fuzz.sh onnx|spec|keras|caffe|coreml|tflite|gguf|safetensors|all SECONDS [libFuzzer flags...] | Scripts/fuzz.sh build" >&2
  exit 2
}

source_of() {
  case "$1" in
    onnx) echo Fuzz/Targets/ONNXFuzz.swift ;;
    spec) echo Fuzz/Targets/SpecFuzz.swift ;;
    keras) echo Fuzz/Targets/KerasFuzz.swift ;;
    caffe) echo Fuzz/Targets/CaffeFuzz.swift ;;
    coreml) echo Fuzz/Targets/CoreMLFuzz.swift ;;
    tflite) echo Fuzz/Targets/TFLiteFuzz.swift ;;
    gguf) echo Fuzz/Targets/GGUFFuzz.swift ;;
    safetensors) echo Fuzz/Targets/SafetensorsFuzz.swift ;;
    *) usage ;;
  esac
}

# Builds the instrumented library once, then links every target whose binary is older than
# its sources or the library's objects.
build() {
  echo "fuzz: building the instrumented library into $out" >&2
  swift build -c "$config" --target ConvScope --scratch-path "$out" \
    -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address >&2
  local products="$out/$config"
  local objects=() module object
  for module in ConvScopeCore ConvScopeImporters ConvScopeReport ConvScopeAnalysis ConvScopeRenderers \
    ConvScope CKernels Yams CYaml ZIPFoundation; do
    while IFS= read -r object; do objects+=("$object"); done < <(find "$products/$module.build" -name '*.o' | sort)
  done
  # The C modules Swift modules import: the calibration kernels (their module map is generated
  # into CKernels.build) and the dependencies' (CYaml, ZIPFoundation's CZLib).
  local includes=(-I "$products/Modules" -I "$products/CKernels.build") modulemap
  while IFS= read -r modulemap; do includes+=(-I "$(dirname "$modulemap")"); done \
    < <(find "$out/checkouts" -name module.modulemap -not -path '*/Tests/*' | sort)
  mkdir -p "$out/bin"
  local target binary
  for target in "${targets[@]}"; do
    binary="$out/bin/$target"
    if [[ -x $binary ]] && [[ -z $(find "${objects[@]}" Fuzz/Targets/FuzzHarness.swift "$(source_of "$target")" \
      -newer "$binary" -print -quit) ]]; then
      continue
    fi
    echo "fuzz: linking $binary" >&2
    swiftc -sanitize=fuzzer,address -parse-as-library -O -swift-version 6 -use-ld=lld \
      "${includes[@]}" \
      Fuzz/Targets/FuzzHarness.swift "$(source_of "$target")" "${objects[@]}" -lz -o "$binary"
  done
}

# Runs one target for $2 seconds; the remaining arguments go to libFuzzer.
run() {
  local target=$1 seconds=$2
  shift 2
  local corpus="$out/corpus/$target" artifacts="$out/artifacts/$target"
  mkdir -p "$corpus" "$artifacts" "Fuzz/Corpus/$target"
  local pattern file seed
  while read -r pattern; do
    [[ -z $pattern || $pattern == \#* ]] && continue
    # Seeds of 16 KiB or less: libFuzzer mutates up to the longest input it is given.
    # shellcheck disable=SC2086 # the pattern is a glob
    while IFS= read -r file; do
      seed="$corpus/${file//\//_}"
      [[ -e $seed ]] || cp "$file" "$seed"
    done < <(find $pattern -maxdepth 0 -type f -size -16385c)
  done <"Fuzz/Seeds/$target.txt"
  echo "fuzz: $target for $seconds s" >&2
  # Run from the target's own folder: with -jobs, libFuzzer writes fuzz-JOB.log into the
  # current directory, and two targets run side by side would write the same files.
  local root=$PWD logs="$out/logs/$target"
  mkdir -p "$logs"
  (cd "$logs" && ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} "$root/$out/bin/$target" "$root/$corpus" \
    "$root/Fuzz/Corpus/$target" -dict="$root/Fuzz/Dictionaries/$target.dict" -max_total_time="$seconds" \
    -rss_limit_mb=2048 -timeout=10 -artifact_prefix="$root/$artifacts/" -print_final_stats=1 "$@")
}

[[ $# -ge 1 ]] || usage
if [[ $1 == build ]]; then
  build
  exit 0
fi
[[ $# -ge 2 && $2 =~ ^[0-9]+$ ]] || usage
if [[ $1 == all ]]; then
  build
  seconds=$2
  shift 2
  for target in "${targets[@]}"; do run "$target" "$seconds" "$@"; done
else
  source_of "$1" >/dev/null
  build
  run "$@"
fi
