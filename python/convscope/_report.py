"""The report object `analyze` and `summary` return."""

from __future__ import annotations

import html as html_escaping
import textwrap
from typing import Any, Sequence

from ._binary import analyze_command, run_binary

__all__ = ["Report"]


def _si(count: int) -> str:
    for factor, suffix in ((10**12, "T"), (10**9, "G"), (10**6, "M"), (10**3, "k")):
        if abs(count) >= factor:
            return f"{count / factor:.2f} {suffix}"
    return str(count)


class Report:
    """One analysis, read from `convscope analyze --format json`.

    - `json`: the whole report as the binary wrote it (docs/json-schema.md).
    - `totals`, `layers`, `model`: its `totals`, `layers` and `model` parts.
    - `source_format`: the file format the binary read (`onnx`, `pt2`, ...).
    - `str(report)`: the text table (the binary run again with `--format table`).
    - `html()` / `_repr_html_()`: the HTML report (`--format html`), inline in Jupyter.
    - `to_pandas()`: the layers as a pandas DataFrame.
    """

    def __init__(self, data: dict[str, Any], *, flags: Sequence[str], path: str, binary: str,
                 source_format: str | None = None, export_note: str | None = None,
                 timings: dict[str, float] | None = None, keep_alive: Any = None):
        self._data = data
        self._flags = list(flags)
        self._path = path
        self._binary = binary
        self._text: str | None = None
        self._html: str | None = None
        self.source_format = source_format or data.get("model", {}).get("format")
        self.export_note = export_note
        self.timings = dict(timings or {})
        # A temporary directory holding the exported model, kept while the report lives
        # so that the table and HTML can be rendered from it later.
        self._keep_alive = keep_alive

    @property
    def json(self) -> dict[str, Any]:
        """The report as the binary wrote it."""
        return self._data

    @property
    def totals(self) -> dict[str, Any]:
        """Whole-model sums: `params`, `macs`, `flops`, `activation_bytes`..."""
        return self._data["totals"]

    @property
    def layers(self) -> list[dict[str, Any]]:
        """One dict per node, in execution order (docs/json-schema.md, `layer`)."""
        return self._data["layers"]

    @property
    def model(self) -> dict[str, Any]:
        """Where the model came from: `name`, `source`, `format`, `layout`."""
        return self._data["model"]

    def text(self) -> str:
        """The text table, as `convscope analyze` prints it."""
        if self._text is None:
            self._text = run_binary(
                analyze_command([*self._flags, "--no-color"], self._path, "table"), self._binary)
        return self._text

    def html(self) -> str:
        """The self-contained HTML report."""
        if self._html is None:
            self._html = run_binary(analyze_command(self._flags, self._path, "html"), self._binary)
        return self._html

    def to_pandas(self):
        """The layers as a pandas DataFrame, one row per layer (nested fields kept as objects)."""
        try:
            import pandas
        except ImportError as error:
            raise ImportError("Report.to_pandas() needs pandas: pip install pandas "
                              "(report.layers gives the same rows as dicts)") from error
        return pandas.DataFrame(self.layers)

    def __str__(self) -> str:
        table = self.text().rstrip("\n")
        if not self.export_note:
            return table
        return f"{table}\n\n{textwrap.fill(self.export_note, width=100)}"

    def __repr__(self) -> str:
        totals = self.totals
        partial = ", partial" if totals.get("partial") else ""
        return (f"<convscope.Report {self.model.get('name', '?')} ({self.source_format}): "
                f"{_si(totals['params'])} params, {_si(totals['macs'])} MACs, "
                f"{_si(totals['flops'])} FLOPs{partial}>")

    def _repr_html_(self) -> str:
        # The report is a whole page with its own styles: an iframe keeps them from
        # restyling the notebook.
        page = html_escaping.escape(self.html(), quote=True)
        return (f'<iframe srcdoc="{page}" style="width: 100%; height: 640px; border: 0" '
                f'sandbox="allow-scripts"></iframe>')
