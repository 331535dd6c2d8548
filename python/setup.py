"""Build script for the convscope Python package.

The version is ConvScope's single version string: `CONVSCOPE_VERSION` when set (what
`Scripts/build-wheel.sh` exports after reading it), else read from
`Sources/ConvScopeCore/ConvScopeVersion.swift` next to this directory.

When `convscope/bin/convscope` is present (copied there by `Scripts/build-wheel.sh`), the
wheel carries that native binary, so it is tagged for this platform only
(`py3-none-<platform>`); without it the package is pure Python and finds the binary
through `CONVSCOPE_BINARY` or `PATH` at run time.
"""

import os
import re
from pathlib import Path

from setuptools import Distribution, setup

try:  # setuptools >= 70.1 ships bdist_wheel itself
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # older setuptools: the wheel package's
    from wheel.bdist_wheel import bdist_wheel

HERE = Path(__file__).resolve().parent
BUNDLED = HERE / "convscope" / "bin" / "convscope"
VERSION_SWIFT = HERE.parent / "Sources" / "ConvScopeCore" / "ConvScopeVersion.swift"


def version() -> str:
    if os.environ.get("CONVSCOPE_VERSION"):
        return os.environ["CONVSCOPE_VERSION"]
    match = re.search(r'static let current = "([^"]+)"', VERSION_SWIFT.read_text())
    if not match:
        raise RuntimeError(f"no version string in {VERSION_SWIFT}")
    return match.group(1)


class BinaryDistribution(Distribution):
    """A distribution that is platform-specific (installed to platlib) when it carries the binary."""

    def has_ext_modules(self):
        return BUNDLED.exists()


class PlatformWheel(bdist_wheel):
    """Tags the wheel `py3-none-<platform>` when it carries the native binary: any Python 3
    (the package is pure Python), this OS and CPU (the binary is not)."""

    def get_tag(self):
        python, abi, platform = super().get_tag()
        if BUNDLED.exists():
            return "py3", "none", platform
        return python, abi, platform


setup(
    version=version(),
    package_data={"convscope": ["bin/convscope"] if BUNDLED.exists() else []},
    distclass=BinaryDistribution,
    cmdclass={"bdist_wheel": PlatformWheel},
)
