// `import ConvScope` gives the whole library: the graph and op rules, the importers,
// the Report, the analysis and the renderers, and the one entry point `Pipeline.report(for:)`.
@_exported import ConvScopeAnalysis
@_exported import ConvScopeCore
@_exported import ConvScopeImporters
@_exported import ConvScopeRenderers
@_exported import ConvScopeReport
