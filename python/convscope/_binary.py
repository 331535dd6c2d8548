"""Finding and running the `convscope` binary."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, Sequence

__all__ = ["ConvScopeError", "analyze_command", "find_binary", "run_binary", "run_json"]

_BUNDLED = Path(__file__).resolve().parent / "bin" / "convscope"
_ERROR_PREFIX = "convscope: error: "


class ConvScopeError(RuntimeError):
    """The `convscope` binary failed, or could not be found.

    `str(error)` is the binary's one-line message (what follows `convscope: error:`);
    `returncode`, `stderr` and `command` keep the details.
    """

    def __init__(self, message: str, *, returncode: int | None = None, stderr: str = "",
                 command: Sequence[str] = ()):
        super().__init__(message)
        self.message = message
        self.returncode = returncode
        self.stderr = stderr
        self.command = list(command)


def find_binary() -> str:
    """The `convscope` executable to run.

    In order: the one bundled in the wheel (`convscope/bin/convscope`), the
    `CONVSCOPE_BINARY` environment variable, `convscope` on `PATH`.
    """
    if _BUNDLED.is_file() and os.access(_BUNDLED, os.X_OK):
        return str(_BUNDLED)
    configured = os.environ.get("CONVSCOPE_BINARY")
    if configured:
        if not (os.path.isfile(configured) and os.access(configured, os.X_OK)):
            raise ConvScopeError(f"CONVSCOPE_BINARY={configured} is not an executable file")
        return configured
    on_path = shutil.which("convscope")
    if on_path:
        return on_path
    raise ConvScopeError(
        "the convscope binary was not found: install a wheel that bundles it "
        "(Scripts/build-wheel.sh), set CONVSCOPE_BINARY, or put convscope on PATH")


def _one_line(stderr: str, returncode: int) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        if line.startswith(_ERROR_PREFIX):
            return line[len(_ERROR_PREFIX):]
    if lines:
        return lines[-1]
    return f"convscope exited with status {returncode}"


def run_binary(arguments: Sequence[str], binary: str | None = None) -> str:
    """Runs `convscope ARGUMENTS` and returns its standard output.

    Raises `ConvScopeError` with the binary's one-line message when it exits non-zero.
    """
    command = [binary or find_binary(), *arguments]
    try:
        completed = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        raise ConvScopeError(f"cannot run {command[0]}: {error}", command=command) from error
    if completed.returncode != 0:
        raise ConvScopeError(_one_line(completed.stderr, completed.returncode),
                             returncode=completed.returncode, stderr=completed.stderr,
                             command=command)
    return completed.stdout


def analyze_command(flags: Sequence[str], path: str, output_format: str) -> list[str]:
    """`analyze FLAGS --format F -- PATH`: `--` so that a path starting with `-` is a path."""
    return ["analyze", *flags, "--format", output_format, "--", path]


def run_json(flags: Sequence[str], path: str, binary: str | None = None) -> dict[str, Any]:
    """Runs `convscope analyze FLAGS --format json -- PATH` and parses the report."""
    output = run_binary(analyze_command(flags, path, "json"), binary)
    try:
        return json.loads(output)
    except json.JSONDecodeError as error:
        raise ConvScopeError(f"convscope wrote output that is not JSON: {error}") from error
