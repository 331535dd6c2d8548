"""ConvScope from Python: every layer's shapes, parameters, MACs, FLOPs and memory.

    >>> import convscope
    >>> report = convscope.analyze("resnet18.onnx", input_size=(1, 3, 224, 224))
    >>> report.totals["macs"]
    1814073344
    >>> print(report)              # the text table
    >>> report.to_pandas()         # the layers as a DataFrame (needs pandas)

    >>> convscope.summary(torchvision.models.resnet18(), (1, 3, 224, 224))

The numbers come from the `convscope` binary (bundled in the wheel, or `CONVSCOPE_BINARY`,
or `convscope` on PATH), read from its `--format json` output: the Swift code is the single
implementation. A failure of the binary raises `ConvScopeError` with its one-line message.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from ._binary import ConvScopeError, find_binary, run_json
from ._options import analyze_arguments, check_options, input_shape_arguments
from ._report import Report
from ._torch import summary

__all__ = ["ConvScopeError", "Report", "analyze", "find_binary", "summary", "__version__"]


def _version() -> str:
    try:
        from importlib.metadata import PackageNotFoundError, version
    except ImportError:  # pragma: no cover - Python < 3.8
        return "unknown"
    try:
        return version("convscope")
    except PackageNotFoundError:
        return "unknown"


__version__ = _version()


def _is_module(value: Any) -> bool:
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(value, torch.nn.Module)


def analyze(path_or_model: Any, input_size: Any = None, **options) -> Report:
    """Analyses a model file (ONNX, Keras, Caffe, a ConvScope spec, ...) or an `nn.Module`.

    `input_size` becomes `--input-shape`: a shape such as `(1, 3, 224, 224)` or
    `"Nx3x224x224"`, or a dict `{input_name: shape}`. The other keywords are
    `convscope analyze`'s options in snake case: `batch` (an int or a list, a sweep),
    `dtype`, `layout`, `mode`, `convention`, `reconcile`, `as_stored`, `device`, `train`,
    `optimizer`, `precision`, `resolution`, `width_mult`, `units`, `depth`, `quiet`, `wide`, `compact`.
    An unknown keyword raises TypeError; a failure of the binary raises ConvScopeError.

    An `nn.Module` is passed on to `summary(model, input_size, **options)`.
    """
    if _is_module(path_or_model):
        if input_size is None:
            return summary(path_or_model, **options)
        return summary(path_or_model, input_size, **options)
    check_options(options)
    path = os.fspath(path_or_model)
    flags = [*input_shape_arguments(input_size), *analyze_arguments(options)]
    binary = find_binary()
    return Report(run_json(flags, path, binary), flags=flags, path=path, binary=binary)
