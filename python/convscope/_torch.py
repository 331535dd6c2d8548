"""`summary(module, input_size)`: export a PyTorch module and analyse the export."""

from __future__ import annotations

import contextlib
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any, Sequence

from ._binary import ConvScopeError

__all__ = ["summary"]

_ROUTES = ("auto", "pt2", "onnx")


def _example_inputs(torch, input_size: Any, example_inputs: Any) -> tuple:
    if example_inputs is not None:
        return tuple(example_inputs) if isinstance(example_inputs, (list, tuple)) else (example_inputs,)
    if input_size is None:
        raise TypeError("summary() needs input_size (e.g. (1, 3, 224, 224)) or example_inputs")
    sizes = list(input_size)
    if sizes and all(isinstance(dim, int) and not isinstance(dim, bool) for dim in sizes):
        sizes = [sizes]
    for size in sizes:
        if not isinstance(size, Sequence) or not all(isinstance(dim, int) for dim in size):
            raise TypeError(f"input_size: expected a shape of ints or a list of shapes, got {input_size!r}")
    return tuple(torch.rand(*size) for size in sizes)


@contextlib.contextmanager
def _eval_mode(model):
    """The module in eval mode (BatchNorm and dropout as deployed), restored afterwards."""
    was_training = model.training
    model.eval()
    try:
        yield model
    finally:
        model.train(was_training)


def _export_pt2(torch, model, inputs: tuple, path: Path) -> None:
    program = torch.export.export(model, inputs)
    torch.export.save(program, str(path))


def _export_onnx(torch, model, inputs: tuple, path: Path) -> str:
    """Writes an ONNX file; returns which exporter wrote it.

    The TorchScript exporter first (fast, and the one ConvScope's ONNX fixtures come
    from); the torch.export-based one where a newer torch has removed it.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            torch.onnx.export(model, inputs, str(path), dynamo=False)
            return "torch.onnx.export (TorchScript exporter)"
        except TypeError:  # a torch without the `dynamo` switch: TorchScript is its only exporter
            torch.onnx.export(model, inputs, str(path))
            return "torch.onnx.export (TorchScript exporter)"
        except Exception:  # noqa: BLE001 - the TorchScript exporter gone or failing: try dynamo
            torch.onnx.export(model, inputs, str(path), dynamo=True, external_data=False)
            return "torch.onnx.export (dynamo exporter)"


def summary(model, input_size: Any = (1, 3, 224, 224), convention: str | None = None,
            mode: str | None = "inference", *, example_inputs: Any = None, export: str = "auto",
            **options):
    """Analyses an `nn.Module` the way torchinfo's `summary` is called.

    The module is exported with `torch.export` to a temporary `.pt2` archive and analysed;
    when `torch.export` fails, or the binary cannot read the archive, it is exported to a
    temporary ONNX file instead. The returned `Report` says which in `source_format`
    (`"pt2"` or `"onnx"`), `export_note` (also printed by `str()`) and `timings`
    (seconds spent exporting and in the binary).

    `input_size` is one shape, or a list of shapes for several inputs (float tensors are
    made); `example_inputs` gives the tensors instead. `export` forces a route: `"pt2"`
    or `"onnx"` (`"auto"` tries `.pt2` first). Other keywords are `analyze`'s options.
    """
    import torch

    from . import analyze  # the package's entry point, imported here to avoid a cycle
    from ._options import check_options

    if export not in _ROUTES:
        raise ValueError(f"export must be one of {', '.join(_ROUTES)}, not {export!r}")
    options = dict(options, convention=convention, mode=mode)
    check_options(options)
    inputs = _example_inputs(torch, input_size, example_inputs)
    name = type(model).__name__
    directory = tempfile.TemporaryDirectory(prefix="convscope-")
    timings: dict[str, float] = {}
    why_not_pt2 = None  # set when the .pt2 route was tried and given up
    with _eval_mode(model):
        if export in ("auto", "pt2"):
            report, why_not_pt2 = _via_pt2(torch, model, inputs, Path(directory.name) / f"{name}.pt2",
                                           options, timings, fall_back=export == "auto")
            if report is not None:
                return _finish(report, "pt2", "Exported with torch.export to a .pt2 archive.",
                               timings, directory)
        onnx_file = Path(directory.name) / f"{name}.onnx"
        start = time.perf_counter()
        exporter = _export_onnx(torch, model, inputs, onnx_file)
        timings["onnx_export_s"] = time.perf_counter() - start
    start = time.perf_counter()
    report = analyze(onnx_file, **options)
    timings["analyze_s"] = time.perf_counter() - start
    note = f"Exported to ONNX with {exporter}"
    note += f", because {why_not_pt2}." if why_not_pt2 else "."
    torch_params = sum(parameter.numel() for parameter in model.parameters())
    stored = report.totals["params"]
    if stored != torch_params:
        note += (f" torch counts {torch_params:,} parameters, the ONNX file stores {stored:,}: the"
                 " exporter folds each BatchNorm into the convolution before it and stores identical"
                 " tensors once (convention='torchinfo' counts torch's way).")
    return _finish(report, "onnx", note, timings, directory)


def _via_pt2(torch, model, inputs: tuple, archive: Path, options: dict, timings: dict,
             fall_back: bool):
    """Exports to `archive` and analyses it: `(report, None)`, or `(None, why not)` when
    `fall_back` and either step failed (without `fall_back`, the failure is raised)."""
    from . import analyze

    start = time.perf_counter()
    try:
        _export_pt2(torch, model, inputs, archive)
    except Exception as error:  # noqa: BLE001 - any export failure means: try ONNX
        if not fall_back:
            raise
        return None, f"torch.export failed ({_first_line(error)})"
    finally:
        timings["export_s"] = time.perf_counter() - start
    start = time.perf_counter()
    try:
        report = analyze(archive, **options)
    except ConvScopeError as error:
        if not fall_back:
            raise
        return None, f"the convscope binary refused the .pt2: {error}"
    timings["analyze_s"] = time.perf_counter() - start
    return report, None


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__


def _finish(report, source_format: str, note: str, timings: dict[str, float], directory):
    report.source_format = source_format
    report.export_note = note
    report.timings.update(timings)
    report._keep_alive = directory  # the table and HTML are rendered from the file later
    return report
