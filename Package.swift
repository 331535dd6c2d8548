// swift-tools-version: 6.0
import PackageDescription

// The library is split along the pipeline, so the compiler enforces its directions:
//
//   ConvScopeCore (graph, op rules, errors)
//     ├── ConvScopeImporters (file → Graph; never analyses)
//     ├── ConvScopeReport (the Report value and its sections)
//     │     ├── ConvScopeAnalysis (Graph → Report: analyzer, passes, conventions)
//     │     └── ConvScopeRenderers (Report → text; never imports or analyses)
//     └── ConvScope (AnalysisRequest → Report: the one entry point; re-exports all of the above;
//                    `Calibration/` measures this machine with the C kernels of CKernels)
//
// docs/architecture.md is the map.
let package = Package(
  name: "ConvScope",
  platforms: [.macOS(.v13)],
  products: [
    .library(name: "ConvScope", targets: ["ConvScope"]),
    .executable(name: "convscope", targets: ["convscope"]),
  ],
  dependencies: [
    // YAML (and JSON, a YAML subset) for the native spec format and device profiles.
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    // The command-line interface.
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    // Reading `config.json` out of `.keras` archives (stored or deflated), in memory.
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
  ],
  targets: [
    .target(name: "ConvScopeCore"),
    // The C kernels `convscope calibrate` times (vector variants chosen at run time).
    .target(name: "CKernels"),
    // The executable's allocator settings (glibc), made before anything is allocated.
    .target(name: "CAllocatorTuning"),
    .target(
      name: "ConvScopeImporters",
      dependencies: [
        "ConvScopeCore",
        .product(name: "Yams", package: "Yams"),
        .product(name: "ZIPFoundation", package: "ZIPFoundation"),
      ]
    ),
    .target(name: "ConvScopeReport", dependencies: ["ConvScopeCore"]),
    .target(name: "ConvScopeAnalysis", dependencies: ["ConvScopeCore", "ConvScopeReport"]),
    .target(name: "ConvScopeRenderers", dependencies: ["ConvScopeCore", "ConvScopeReport"]),
    .target(
      name: "ConvScope",
      dependencies: [
        "ConvScopeCore", "ConvScopeImporters", "ConvScopeReport", "ConvScopeAnalysis", "ConvScopeRenderers",
        "CKernels", .product(name: "Yams", package: "Yams"),
      ]
    ),
    .executableTarget(
      name: "convscope",
      dependencies: [
        "ConvScope", "CAllocatorTuning",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Golden-file comparison shared by the test targets.
    .target(
      name: "ConvScopeTestSupport",
      path: "Tests/ConvScopeTestSupport"
    ),
    .testTarget(
      name: "ConvScopeTests",
      dependencies: ["ConvScope", "CKernels", "ConvScopeTestSupport"]
    ),
    // Runs the built `convscope` executable: exit codes, error lines, help text.
    .testTarget(
      name: "ConvScopeCLITests",
      dependencies: ["convscope", "ConvScope", "ConvScopeTestSupport"]
    ),
  ],
  swiftLanguageModes: [.v6]
)
