"""The Python API on committed ONNX fixtures: no torch needed (CI runs this file)."""

import json
import os
import re
import subprocess

import pytest

import convscope
from conftest import REPO, ZOO, meta, reference

RESNET18 = ZOO / "resnet18.onnx"


@pytest.fixture(scope="module")
def resnet18():
    return convscope.analyze(RESNET18)


def learnable_initializer_elements(name):
    """What ONNXZooAnalysisTests asserts for `params`: the initializers, less integer
    constants and the running mean and variance of each BatchNormalization kept."""
    record = meta(name)["onnx_vs_torch_params"]
    return (record["onnx_initializer_elements"] - record["non_float_initializer_elements"]
            - 2 * record["bn_channels_kept_as_BatchNormalization"])


@pytest.mark.parametrize("name", ["resnet18", "resnet50", "mobilenet_v2", "lenet5"])
def test_params_are_the_learnable_initializer_elements(name):
    report = convscope.analyze(ZOO / f"{name}.onnx")
    assert report.totals["params"] == learnable_initializer_elements(name)
    assert report.totals["partial"] is False
    assert report.json["unsupported"] == []


def test_resnet18_totals(resnet18):
    # The exporter folded ResNet-18's 4,800 BatchNorm channels into conv biases: torch's
    # 11,689,512 parameters less one per channel (gamma and beta became one bias).
    assert resnet18.totals["params"] == reference("resnet18")["torch"]["params"] - 4_800
    # calflops counts every conv and linear multiply-add, as ConvScope's MACs do.
    assert resnet18.totals["macs"] == reference("resnet18")["calflops"]["macs"]
    totals = resnet18.totals
    cost = totals["cost"]
    assert totals["macs"] == cost["macs"]
    assert totals["flops"] == 2 * cost["macs"] + sum(
        cost[key] for key in ("adds", "multiplies", "divides", "compares", "exponentials", "others"))
    assert resnet18.source_format == "onnx"
    assert resnet18.model["format"] == "onnx"


@pytest.mark.parametrize("convention, tool", [
    ("fvcore", ("fvcore", "total")),
    ("torchinfo", ("torchinfo", "total_mult_adds")),
    ("ptflops", ("ptflops_pytorch", "macs")),
    ("thop", ("thop", "macs")),
    ("torch-flop-counter", ("torch_flop_counter", "flops")),
])
def test_conventions_reproduce_the_tools(convention, tool):
    report = convscope.analyze(RESNET18, convention=convention)
    section, key = tool
    assert report.totals["convention"]["figure"] == reference("resnet18")[section][key]


PT2_REFERENCES = sorted((REPO / "Tests" / "Fixtures" / "pt2").glob("*.ref.json"))


@pytest.mark.parametrize("ref_path", PT2_REFERENCES, ids=lambda path: path.name.split(".")[0])
def test_pt2_fixtures_match_torch(ref_path):
    # The committed torch.export archives (once the .pt2 reader is in the tree) through the
    # package, against what torch and fvcore said when each was exported (the Swift tests
    # check the rest of each reference).
    ref = json.loads(ref_path.read_text())
    archive = ref_path.with_name(ref_path.name.replace(".ref.json", ".pt2"))
    (shape,) = ref["input_shapes"]
    report = convscope.analyze(archive, input_size=shape)
    assert report.source_format == "pt2"
    assert report.totals["params"] == ref["params"]
    fvcore = convscope.analyze(archive, input_size=shape, convention="fvcore")
    assert fvcore.totals["convention"]["figure"] == ref["fvcore"]


def test_layers_are_the_binary_json(resnet18):
    direct = json.loads(subprocess.run(
        [convscope.find_binary(), "analyze", str(RESNET18), "--format", "json"],
        capture_output=True, text=True, check=True).stdout)
    assert resnet18.json == direct
    assert resnet18.layers == direct["layers"]
    ops = [layer["op"] for layer in resnet18.layers if not layer["folded"]]
    histogram = meta("resnet18")["op_type_histogram"]
    assert {op: ops.count(op) for op in set(ops)} == histogram
    assert sum(layer["macs"] for layer in resnet18.layers) == resnet18.totals["macs"]


def test_input_size_binds_the_input_shape():
    report = convscope.analyze(RESNET18, input_size=(2, 3, 112, 112))
    assert report.json["inputs"][0]["shape"] == [2, 3, 112, 112]
    by_name = convscope.analyze(RESNET18, input_size={"input": "2x3x112x112"})
    assert by_name.totals == report.totals
    # Conv MACs scale with the output positions: 4x fewer pixels, twice the batch.
    full = convscope.analyze(RESNET18)
    conv = [layer for layer in full.layers if layer["op"] == "Conv"][0]
    small = [layer for layer in report.layers if layer["name"] == conv["name"]][0]
    assert small["macs"] * 2 == conv["macs"]


def test_options_map_onto_flags():
    report = convscope.analyze(RESNET18, batch=[1, 4], dtype="float16", mode="inference-fused",
                               device="h100-sxm", reconcile=True, as_stored=False)
    assert [row["value"] for row in report.json["sweep"]["rows"]] == [1, 4]
    assert report.json["mode"] == "inference-fused"
    assert report.json["roofline"]["device"]
    assert report.json["reconciliation"][0]["convention"] == "convscope"
    assert report.json["inputs"][0]["dtype"] == "float16"


def test_str_is_the_text_table(resnet18):
    text = str(resnet18)
    assert text.startswith("resnet18")  # the file name: the graph name, main_graph, is generic
    assert "Totals" in text
    assert f"{resnet18.totals['macs']:,}" in text
    assert "\x1b[" not in text  # no colour codes
    assert "11.68 M" in repr(resnet18)


def test_html_report_for_jupyter(resnet18):
    page = resnet18.html()
    assert page.startswith("<!DOCTYPE html>")
    inline = resnet18._repr_html_()
    assert inline.startswith("<iframe srcdoc=")
    assert "<!DOCTYPE" not in inline  # escaped into the attribute


def test_a_missing_file_raises_the_binarys_message():
    with pytest.raises(convscope.ConvScopeError) as caught:
        convscope.analyze(REPO / "no-such-model.onnx")
    assert str(caught.value).endswith("no-such-model.onnx: no such file")
    assert caught.value.returncode != 0
    assert "\n" not in str(caught.value)


def test_an_unreadable_format_raises_the_binarys_message():
    with pytest.raises(convscope.ConvScopeError, match="unrecognised model format"):
        convscope.analyze(REPO / "README.md")


def test_a_value_the_binary_refuses_raises():
    with pytest.raises(convscope.ConvScopeError, match="--convention"):
        convscope.analyze(RESNET18, convention="no-such-tool")


def test_unknown_options_raise_type_error_naming_them():
    with pytest.raises(TypeError, match="unknown convscope option.*colour.*format"):
        convscope.analyze(RESNET18, format="csv", colour=True)


def test_option_values_of_the_wrong_type_raise_type_error():
    with pytest.raises(TypeError, match="reconcile"):
        convscope.analyze(RESNET18, reconcile="yes")
    with pytest.raises(TypeError, match="depth"):
        convscope.analyze(RESNET18, depth=1.5)
    with pytest.raises(TypeError, match="input_size"):
        convscope.analyze(RESNET18, input_size=[(1, 3, 8, 8), (1, 3, 8, 8)])


def test_a_path_starting_with_a_dash_is_a_path(tmp_path, monkeypatch):
    (tmp_path / "-model.onnx").write_bytes(RESNET18.read_bytes())
    monkeypatch.chdir(tmp_path)
    assert convscope.analyze("-model.onnx").totals["params"] == learnable_initializer_elements("resnet18")


def test_binary_lookup_order(monkeypatch, tmp_path):
    real = convscope.find_binary()
    if real.endswith(os.path.join("convscope", "bin", "convscope")):
        pytest.skip("the bundled binary comes first")
    monkeypatch.setenv("CONVSCOPE_BINARY", str(tmp_path / "missing"))
    with pytest.raises(convscope.ConvScopeError, match="CONVSCOPE_BINARY"):
        convscope.find_binary()
    monkeypatch.delenv("CONVSCOPE_BINARY")
    on_path = tmp_path / "bin"
    on_path.mkdir()
    (on_path / "convscope").symlink_to(real)
    monkeypatch.setenv("PATH", str(on_path))
    assert convscope.find_binary() == str(on_path / "convscope")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(convscope.ConvScopeError, match="not found"):
        convscope.find_binary()


def test_to_pandas(resnet18):
    pandas = pytest.importorskip("pandas")
    frame = resnet18.to_pandas()
    assert isinstance(frame, pandas.DataFrame)
    assert len(frame) == len(resnet18.layers)
    assert frame["macs"].sum() == resnet18.totals["macs"]


def test_to_pandas_without_pandas_says_so(resnet18, monkeypatch):
    import builtins
    real_import = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas":
            raise ImportError("No module named 'pandas'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(ImportError, match="pip install pandas"):
        resnet18.to_pandas()


def test_version_is_the_swift_version():
    swift = (REPO / "Sources" / "ConvScopeCore" / "ConvScopeVersion.swift").read_text()
    assert f'"{convscope.__version__}"' in swift
    assert convscope.analyze(ZOO / "lenet5.onnx").json["convscope_version"] == convscope.__version__


def test_every_analyze_flag_has_a_keyword():
    from convscope._options import OPTIONS

    help_text = subprocess.run([convscope.find_binary(), "analyze", "--help"],
                               capture_output=True, text=True, check=True).stdout
    flags = set(re.findall(r"^\s+(?:-\w, )?(--[a-z][a-z-]*)", help_text, re.MULTILINE))
    handled_by_the_package = {"--format", "--output", "--no-color", "--input-shape", "--version", "--help"}
    # --strict decides the exit status of a run over several files; analyze() reads one model.
    only_for_many_files = {"--strict"}
    assert flags - handled_by_the_package - only_for_many_files == {flag for flag, _ in OPTIONS.values()}
