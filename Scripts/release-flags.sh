# Sourced by Scripts/stage-release.sh and Scripts/build-wheel.sh: the `swift build` flags of the
# release binary users install, in the array `release_flags`, so that both scripts build (and
# reuse) the same binary.
#
# On Linux the Swift runtime and Foundation are linked in (--static-swift-stdlib: the binary
# needs only the C libraries every Linux has) and the executable is not position-independent
# (-no-pie): a PIE this size starts by applying about 85,000 relative relocations, a page
# fault on every data page they touch. Without them a run takes about 250 fewer page faults and
# 0.3-0.8 ms less (4-6% of analysing ViT-B/16 or EfficientNet-B0, perf stat, 20 runs each, side
# by side). The cost: the executable's own code loads at a fixed address (libraries, heap and
# stack are still randomised); its input is parsed by bounds-checked Swift.
release_flags=(-c release --product convscope)
if [ "$(uname -s)" = Linux ]; then
  release_flags+=(--static-swift-stdlib -Xswiftc -Xclang-linker -Xswiftc -no-pie)
fi
