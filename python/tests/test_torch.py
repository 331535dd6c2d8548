"""`summary` and `analyze` on `nn.Module`s: run where torch is installed (not in CI)."""

import warnings

import pytest

torch = pytest.importorskip("torch")

import convscope  # noqa: E402


class Tiny(torch.nn.Module):
    """Conv 3→8 (3x3, bias), ReLU, global average pool, Linear 8→10."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.fc = torch.nn.Linear(8, 10)

    def forward(self, x):
        return self.fc(torch.relu(self.conv(x)).mean(dim=(2, 3)))


def tiny_macs(height, width, batch=1):
    # Written out: each of 8 x H x W conv outputs takes 3 x 3 x 3 multiply-adds; the
    # linear layer 8 x 10 per sample.
    return batch * (8 * height * width * 3 * 3 * 3 + 8 * 10)


def params(model):
    return sum(parameter.numel() for parameter in model.parameters())


def test_summary_through_onnx():
    model = Tiny()
    report = convscope.summary(model, (1, 3, 16, 16), export="onnx")
    assert report.source_format == "onnx"
    assert report.totals["params"] == params(model)
    assert report.totals["macs"] == tiny_macs(16, 16)
    assert "Exported to ONNX" in str(report)
    assert report.timings["onnx_export_s"] > 0 and report.timings["analyze_s"] > 0
    assert report.html().startswith("<!DOCTYPE html>")  # the temporary file is still there


def test_summary_auto_falls_back_or_reads_the_archive():
    model = Tiny()
    report = convscope.summary(model, (2, 3, 8, 8))
    assert report.source_format in ("pt2", "onnx")
    if report.source_format == "onnx":
        assert "because" in report.export_note
    assert report.totals["params"] == params(model)
    assert report.totals["macs"] == tiny_macs(8, 8, batch=2)
    assert " ".join(str(report).split()).endswith(" ".join(report.export_note.split()))
    assert "parameters, the ONNX file stores" not in report.export_note  # nothing folded


def test_summary_falls_back_to_onnx_when_torch_export_fails():
    class DataDependent(Tiny):
        def forward(self, x):
            if x.sum() > 0:  # a branch on a value: torch.export cannot trace it, the tracer can
                x = x * 2
            return super().forward(x)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer warns that it froze the branch
        report = convscope.summary(DataDependent(), (1, 3, 8, 8))
    assert report.source_format == "onnx"
    assert "torch.export failed" in report.export_note
    assert report.totals["macs"] == tiny_macs(8, 8)


def test_summary_keeps_the_training_flag():
    model = Tiny().train()
    convscope.summary(model, (1, 3, 8, 8), export="onnx")
    assert model.training


def test_summary_with_a_convention_and_several_inputs():
    class Two(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = torch.nn.Linear(4, 5)

        def forward(self, a, b):
            return self.fc(a) + self.fc(b)

    report = convscope.summary(Two(), [(3, 4), (3, 4)], convention="fvcore", export="onnx")
    assert report.totals["convention"]["name"] == "fvcore"
    assert report.totals["convention"]["figure"] == 2 * 3 * 4 * 5  # fvcore: MACs of the matmuls


def test_analyze_passes_a_module_to_summary():
    report = convscope.analyze(Tiny(), (1, 3, 8, 8), mode="inference")
    assert report.totals["macs"] == tiny_macs(8, 8)


def test_unknown_options_are_refused_before_exporting():
    with pytest.raises(TypeError, match="colour"):
        convscope.summary(Tiny(), (1, 3, 8, 8), colour=True)
    with pytest.raises(ValueError, match="export"):
        convscope.summary(Tiny(), (1, 3, 8, 8), export="tflite")


def test_a_pt2_the_binary_refuses_raises_when_asked_for_pt2_only():
    try:
        report = convscope.summary(Tiny(), (1, 3, 8, 8), export="pt2")
    except convscope.ConvScopeError as error:
        assert ".pt2" in str(error) or "Keras" in str(error) or "archive" in str(error)
    else:  # a binary with the .pt2 importer
        assert report.source_format == "pt2"
        assert report.totals["macs"] == tiny_macs(8, 8)


def test_torchvision_resnet18():
    torchvision = pytest.importorskip("torchvision")
    model = torchvision.models.resnet18()
    # As if trained: a fresh model's folded BatchNorm biases are all zero, and the ONNX
    # exporter stores identical tensors once, which would hide parameters.
    generator = torch.Generator().manual_seed(0)
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.bias.data = torch.randn(module.bias.shape, generator=generator)
            module.running_mean = torch.randn(module.running_mean.shape, generator=generator)
    report = convscope.summary(model, (1, 3, 224, 224), convention="torchinfo")
    # torchinfo's own figures for this model (Tests/Fixtures/zoo/resnet18.ref.json).
    assert report.totals["convention"]["figure"] == 1_814_083_944
    assert report.json["convention"]["params"] == params(model) == 11_689_512
    if report.source_format == "onnx":  # each of the 4,800 BatchNorm channels folded into a bias
        assert report.totals["params"] == 11_689_512 - 4_800
        assert "torch counts 11,689,512 parameters, the ONNX file stores 11,684,712" in report.export_note
    else:
        assert report.totals["params"] == 11_689_512
