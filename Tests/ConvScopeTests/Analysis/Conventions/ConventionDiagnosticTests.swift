import Testing

@testable import ConvScope
@testable import ConvScopeAnalysis
@testable import ConvScopeCore
@testable import ConvScopeImporters
@testable import ConvScopeRenderers
@testable import ConvScopeReport

/// A rule whose family a convention has no decision for is named in that convention's notes,
/// never counted 0 in silence; what each convention knows comes from the rules' facts.
@Suite struct ConventionDiagnosticTests {
  /// A made-up recurrent layer: one output like its input, a weight, 1,000 MACs.
  struct FakeLSTMRule: OpRule {
    var declared: OpFamily?
    var opTypes: [String] { ["LSTM"] }
    var summary: String { "test only" }
    func family(of opType: String) -> OpFamily { declared ?? .other }
    func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
      let x = try context.input(0)
      return OpOutcome(
        outputs: [.init(dataType: x.dataType, shape: x.shape)], cost: Cost(macs: 1_000), inputRoles: [1: .weight])
    }
  }

  /// The same rule, declaring nothing: the protocol's default family.
  struct SilentRule: OpRule {
    var opTypes: [String] { ["LSTM"] }
    var summary: String { "test only" }
    func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
      OpOutcome(outputs: [.init(dataType: .float32, shape: try context.input(0).shape)], cost: Cost(macs: 1_000))
    }
  }

  static func report(with rule: any OpRule) throws -> Report {
    var b = GraphBuilder(input: [1, 4, 8, 8])
    b.conv("conv", channels: 4, filters: 4, kernel: 3, pad: 1)
    b.add("LSTM", "lstm", weights: [[4, 4]])
    b.output()
    let registry = OpRegistry(OpRegistry.standard.all.map(\.rule) + [rule])
    return try Analyzer.analyze(b.graph, options: AnalysisOptions(registry: registry))
  }

  /// The conventions whose count depends on the family (ConvScope counts every rule's cost,
  /// torchinfo every parameter).
  static let deciding = Convention.allCases.filter { $0 != .convscope && $0 != .torchinfo }

  @Test(arguments: [FakeLSTMRule(declared: .recurrent), FakeLSTMRule(declared: nil)])
  func anUnknownFamilyIsNamedInEveryConvention(rule: FakeLSTMRule) throws {
    let report = try Self.report(with: rule)
    #expect(report.layers.first { $0.name == "lstm" }?.facts.family == (rule.declared ?? .other))
    for convention in Self.deciding {
      let result = try convention.apply(to: report)
      #expect(
        result.notes.contains("LSTM: no rule in \(convention.rawValue)'s convention, counted 0"),
        "\(convention.rawValue): \(result.notes)")
      #expect(result.layers["lstm"] == nil)
      #expect(result.layers["conv"] != nil, "\(convention.rawValue)")
    }
  }

  @Test func aRuleThatDeclaresNothingIsDiagnosedToo() throws {
    let report = try Self.report(with: SilentRule())
    #expect(report.layers.first { $0.name == "lstm" }?.facts == OpFacts(family: .other))
    let notes = try Convention.fvcore.apply(to: report).notes
    #expect(notes == ["LSTM: no rule in fvcore's convention, counted 0"])
  }

  @Test func aFamilyCountedZeroOnPurposeIsNotDiagnosed() throws {
    var b = GraphBuilder(input: [1, 4, 8, 8])
    b.conv("conv", channels: 4, filters: 4, kernel: 3, pad: 1)
    b.add("Relu", "relu")
    b.add("Flatten", "flatten")
    b.output()
    let report = try Analyzer.analyze(b.graph)
    for convention in Convention.allCases {
      #expect(try convention.apply(to: report).notes.isEmpty, "\(convention.rawValue)")
    }
  }

  @Test func everyStandardRuleDeclaresAFamily() {
    let silent = OpRegistry.standard.all.filter { $0.rule.family(of: $0.opType) == .other }.map(\.opType)
    #expect(silent.isEmpty, "\(silent)")
  }

  @Test func factsComeFromTheRulesRolesAndAttributes() throws {
    var b = GraphBuilder(input: [1, 8, 6, 6])
    b.conv("conv", channels: 8, filters: 8, kernel: 3, pad: 1)
    b.add("LRN", "lrn", attributes: ["size": .int(5)])
    b.output()
    let report = try Analyzer.analyze(b.graph)
    let conv = try #require(report.layers.first { $0.name == "conv" })
    #expect(conv.facts == OpFacts(family: .convolution, weightInput: "conv.w0", biasInput: "conv.w1"))
    let lrn = try #require(report.layers.first { $0.name == "lrn" })
    #expect(lrn.facts.family == .normalization(.localResponse))
    #expect(lrn.facts.parameters.channelWindow == 5)
    #expect(OpFacts(family: .linear, inputs: ["a", "b", ""], roles: [1: .weight, 2: .bias]).biasInput == nil)
  }

  @Test func eachConventionsMetadataIsOnItsType() {
    for convention in Convention.allCases {
      let configuration = convention.configuration
      #expect(configuration.name == convention.rawValue)
      #expect(!configuration.toolVersion.isEmpty && !configuration.sources.isEmpty, "\(convention.rawValue)")
    }
  }

  @Test func factsAreNotInTheJSON() throws {
    let report = try Self.report(with: FakeLSTMRule(declared: .recurrent))
    let json = try JSONRenderer.render(report)
    #expect(!json.contains("facts") && !json.contains("recurrent"))
  }
}

extension ConventionDiagnosticTests.FakeLSTMRule: CustomTestStringConvertible {
  var testDescription: String { declared.map { "declares \($0)" } ?? "declares nothing" }
}
