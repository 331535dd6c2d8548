import ConvScope
import ConvScopeTestSupport
import Foundation
import Testing

@Suite struct HTMLRendererTests {
  @Test func matchesTheGoldenFile() throws {
    let page = HTMLRenderer.render(try SampleReport.report(charts: true))
    #expect(try GoldenFile.mismatch(page, name: "report.html") == nil)
  }

  @Test func listsOneRowPerLayerAndTheTotals() throws {
    let page = HTMLRenderer.render(try SampleReport.report(charts: true))
    // Conv1, Conv2, Conv3 and the unsupported Vendor; ShapeConv is folded away.
    #expect(page.components(separatedBy: "<tr class=\"layer").count - 1 == 4)
    #expect(page.contains("data-layer-count=\"4\""))
    #expect(!page.contains("ShapeConv"))
    // Params 96 + 1,296 + 2,080 = 3,472 (exact in the card's title).
    #expect(page.contains("<div class=\"card-value\" title=\"3,472\">3.47 K</div>"))
    // Conv1's MACs, 57*57*16 * 1*5*1 = 259,920, sortable by its exact value.
    #expect(page.contains("data-v=\"259920\" title=\"259,920\">259.92 K</td>"))
    // Conv1's formulas sit in a detail cell.
    #expect(page.contains("<code>H: (57-1+0+0)/1+1 = 57</code><br><code>W: (57-5+2+2)/1+1 = 57</code>"))
  }

  @Test func isSelfContained() throws {
    let page = HTMLRenderer.render(try SampleReport.report(charts: true))
    for external in ["<link", " src=", "href=\"http", "@import", "url(http"] {
      #expect(!page.contains(external), "\(external)")
    }
    // Six charts, each an inline SVG.
    #expect(page.components(separatedBy: "<figure class=\"chart-box\"").count - 1 == 6)
    #expect(page.components(separatedBy: "<svg id=").count - 1 == 6)
  }

  @Test func saysWhichDeviceTheRooflineAssumes() throws {
    let report = try SampleReport.report(charts: true)
    #expect(report.roofline?.isDefaultDevice == true)
    #expect(
      HTMLRenderer.render(report).contains("no device was chosen, so the built-in <b>h100-sxm</b> profile is assumed"))
    var request = AnalysisRequest(model: .graph(SampleReport.graph, name: "tiny-convnet.yaml", format: .spec))
    request.assumesDeviceForCharts = true
    request.device = .named("a100-80gb")
    let withDevice = try Pipeline.report(for: request)
    #expect(withDevice.roofline?.defaultDevice == nil)
    let chosen = HTMLRenderer.render(withDevice)
    #expect(chosen.contains("Roofline (device <b>a100-80gb</b>"))
    #expect(!chosen.contains("h100-sxm"))
  }

  @Test func offersModuleDepthsForGroupedLayers() throws {
    var report = try SampleReport.report()
    #expect(!HTMLRenderer.render(report).contains("id=\"depth\""))  // flat names: nothing to group
    report.layers[0].group = "layer1.0.conv1"
    report.layers[1].group = "layer1.0.conv2"
    let page = HTMLRenderer.render(report)
    // Paths three deep offer depths 1 and 2 (`layer1`, `layer1.0`); rows carry their path.
    #expect(page.contains("<option value=\"1\">depth 1</option><option value=\"2\">depth 2</option></select>"))
    #expect(page.contains("<tr class=\"layer\" data-path=\"layer1.0.conv1\""))
    #expect(page.contains("data-path=\"Vendor\""))  // no group: the name is the path
  }

  @Test func escapesNamesFromTheModel() throws {
    var report = try SampleReport.report()
    report.model.name = "<script>alert(1)</script>"
    let page = HTMLRenderer.render(report)
    #expect(page.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"))
    #expect(!page.contains("<script>alert(1)"))
  }
}
