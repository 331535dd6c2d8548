"""Python keyword options mapped onto `convscope analyze` flags."""

from __future__ import annotations

import os
from typing import Any, Callable, Mapping, Sequence

__all__ = ["OPTIONS", "analyze_arguments", "check_options", "input_shape_arguments"]


def _text(name: str, value: Any) -> list[str]:
    if isinstance(value, os.PathLike):
        return [os.fspath(value)]
    if not isinstance(value, str):
        raise TypeError(f"convscope option {name!r} takes a string, not {type(value).__name__}")
    return [value]


def _integer(name: str, value: Any) -> list[str]:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"convscope option {name!r} takes an int, not {type(value).__name__}")
    return [str(value)]


def _number(name: str, value: Any) -> list[str]:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"convscope option {name!r} takes a number, not {type(value).__name__}")
    return [repr(float(value))]


def _integers(name: str, value: Any) -> list[str]:
    """One int, or a list of them written `1,8,64` (a sweep)."""
    if isinstance(value, str):
        return [value]
    values = [value] if isinstance(value, int) else list(value)
    for item in values:
        _integer(name, item)
    return [",".join(str(item) for item in values)]


def _flag(name: str, value: Any) -> list[str] | None:
    """The flag alone when True; left out when False."""
    if not isinstance(value, bool):
        raise TypeError(f"convscope option {name!r} is a flag: pass True or False")
    return [] if value else None


# keyword → (flag, how the value is written). `format` and `output` are not options:
# the package chooses the format itself and reads standard output.
OPTIONS: Mapping[str, tuple[str, Callable[[str, Any], "list[str] | None"]]] = {
    "batch": ("--batch", _integers),
    "dtype": ("--dtype", _text),
    "layout": ("--layout", _text),
    "mode": ("--mode", _text),
    "convention": ("--convention", _text),
    "reconcile": ("--reconcile", _flag),
    "as_stored": ("--as-stored", _flag),
    "device": ("--device", _text),
    "train": ("--train", _flag),
    "optimizer": ("--optimizer", _text),
    "precision": ("--precision", _text),
    "resolution": ("--resolution", _integers),
    "width_mult": ("--width-mult", _number),
    "units": ("--units", _text),
    "depth": ("--depth", _integer),
    "quiet": ("--quiet", _flag),
    "wide": ("--wide", _flag),
    "compact": ("--compact", _flag),
}


def check_options(options: Mapping[str, Any]) -> None:
    """Raises TypeError naming every keyword that is not a convscope option."""
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        known = ", ".join(sorted(OPTIONS))
        raise TypeError(f"unknown convscope option(s): {', '.join(unknown)} (known: input_size, {known})")


def _shape(value: Any) -> str:
    if isinstance(value, str):
        return value
    dims = list(value)
    for dim in dims:
        if isinstance(dim, bool) or not isinstance(dim, (int, str)):
            raise TypeError(f"input_size: a dim must be an int or a symbol name, not {dim!r}")
    return "x".join(str(dim) for dim in dims)


def input_shape_arguments(input_size: Any) -> list[str]:
    """`--input-shape` flags: a shape (tuple of ints, or `"1x3x224x224"`) for a
    single-input model, or a dict from input name to shape."""
    if input_size is None:
        return []
    if isinstance(input_size, Mapping):
        arguments = []
        for name, shape in input_size.items():
            arguments += ["--input-shape", f"{name}={_shape(shape)}"]
        return arguments
    if not isinstance(input_size, (str, Sequence)) or (
            not isinstance(input_size, str) and any(isinstance(dim, (list, tuple)) for dim in input_size)):
        raise TypeError("input_size: give one shape, e.g. (1, 3, 224, 224), "
                        "or a dict {input_name: shape} for a model with several inputs")
    return ["--input-shape", _shape(input_size)]


def analyze_arguments(options: Mapping[str, Any]) -> list[str]:
    """The flags for keyword options (None values are left out)."""
    check_options(options)
    arguments: list[str] = []
    for name, value in options.items():
        if value is None:
            continue
        flag, write = OPTIONS[name]
        written = write(name, value)
        if written is not None:
            arguments += [flag, *written]
    return arguments
