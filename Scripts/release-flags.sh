# Sourced by Scripts/stage-release.sh and Scripts/build-wheel.sh: the `swift build` flags of the
# release binary users install, in the array `release_flags`, so that both scripts build (and
# reuse) the same binary.
#
# On Linux the Swift runtime and Foundation are linked in (--static-swift-stdlib), and so are
# the C++ runtime and libgcc: the binary needs only glibc (libc, libm) and zlib, which every
# Linux has. Loading and binding libstdc++ and libgcc_s cost each run about 0.7 ms (a run on
# EfficientNet-B0 took 7.1 ms of CPU against 7.8 ms, Benchmarks/startup.sh, side by side). The
# linker takes an archive over a shared library only where a folder holds the archive alone,
# so .build/static-libs gets a link to libstdc++.a and is searched before the compiler's own
# folder; without that archive the build links the shared library as before (and says so). glibc stays
# shared: a static glibc (-static-executable) saves about 0.5 ms more, but its LGPL asks that
# users can relink the binary, and its name-service and dlopen paths would need the same glibc
# at run time anyway. libstdc++ and libgcc are under the GCC Runtime Library Exception:
# linking them in asks nothing of the binary.
#
# The executable is not position-independent (-no-pie): a PIE this size starts by applying
# about 85,000 relative relocations, a page fault on every data page they touch. Without them
# a run takes about 250 fewer page faults and 0.3-0.8 ms less. The cost: the executable's own
# code loads at a fixed address (libraries, heap and stack are still randomised); its input is
# parsed by bounds-checked Swift.
#
# The executable exports no symbol (Scripts/executable-exports.map, a linker version script):
# otherwise about 7,600 public Swift symbols of the package and its dependencies fill its
# dynamic symbol table, which the Swift runtime scans at start-up (dladdr, from the backtracer's
# set-up). A LeNet-5 run: 2.12 ms against 2.19 ms, best of 100, and 10 fewer page faults (fresh
# copies of both binaries side by side: a binary's file that has sat in the page cache a while
# can start slower, README "Speed").
#
# Nor does it carry SwiftPM's `$ORIGIN` run path (--disable-local-rpath): it needs no library
# of its own, and the dynamic loader looked for libm, libz and libc in the binary's folder
# first, 23 failed system calls on every run (10-20 µs).
#
# Generic types are reached through their metadata accessors, not by mangled name
# (-disable-concrete-type-metadata-mangled-name-accessors, on every platform). By default the
# compiler refers to a concrete generic type (`[String: TensorState]`, `Set<String>`) by its
# mangled name, which the runtime demangles on first use at each call site, checking the
# generic requirements by scanning every protocol conformance in the binary (about 6,600 with
# Foundation linked in). In a LeNet-5 run that was a fifth of the process's samples. An
# accessor builds the same metadata from arguments the compiler passes, at the cost of 0.2% more
# code. Side by side (fresh copies, 31 interleaved runs, CPU time best/median): LeNet-5
# 3.54/3.80 -> 3.14/3.36 ms, ResNet-50 4.80/5.04 -> 4.46/4.79 ms, EfficientNet-B0
# 5.76/6.06 -> 5.52/5.79 ms, BERT-base 7.56/8.00 -> 7.38/7.84 ms, ViT-B/16 unchanged.
# (-prespecialize-generic-metadata on top measured the same, within noise, and is left out.)
release_flags=(-c release --product convscope)
release_flags+=(-Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors)
if [ "$(uname -s)" = Linux ]; then
  release_flags+=(--static-swift-stdlib --disable-local-rpath -Xswiftc -Xclang-linker -Xswiftc -no-pie)
  static_libs="$PWD/.build/static-libs"
  rm -rf "$static_libs"
  mkdir -p "$static_libs"
  # The archive of the GCC installation the toolchain's clang links against (the clang beside
  # swift, which does the link), else the system C++ compiler's.
  toolchain_clang="$(dirname "$(readlink -f "$(command -v swift)")")/clang"
  archive=""
  for compiler in "$toolchain_clang" c++ g++; do
    candidate=$("$compiler" -print-file-name=libstdc++.a 2>/dev/null || true)
    if [ -f "$candidate" ]; then
      archive=$candidate
      break
    fi
  done
  if [ -n "$archive" ]; then
    ln -s "$archive" "$static_libs/libstdc++.a"
  else
    echo "release-flags: no libstdc++.a found; the binary will need the shared C++ runtime" >&2
  fi
  release_flags+=(-Xlinker -L"$static_libs" -Xswiftc -Xclang-linker -Xswiftc -static-libgcc)
  release_flags+=(-Xlinker --version-script="$PWD/Scripts/executable-exports.map")
fi
