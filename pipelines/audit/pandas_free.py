"""Processes of corpusgate's own (the console script, its worker processes) run
without pandas.

pandas is installed with Beam (one of its requirements) and nothing in corpusgate
uses it, yet two libraries import it as soon as they can: Beam at its own import (for
its DataFrame API and pandas batch types) and pyarrow the first time it builds an
array from Python values (to check whether they are pandas objects). Both take pandas
as optional and go on without it when its import fails. Hiding it saves its import,
about 0.2 s of every process's start. Never done in a process corpusgate does not
own (a caller of `cli.main`, a test), which may want pandas.
"""

from __future__ import annotations

import sys
from importlib.abc import MetaPathFinder


class _HiddenPandas(MetaPathFinder):
    """Fails every import of pandas as if it were not installed. (A None entry in
    sys.modules would not do: pyarrow's compiled import takes it for the module.)"""

    def find_spec(self, name, path=None, target=None):
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


def hide_pandas() -> None:
    """From now on, this process cannot import pandas (unless it already has)."""
    if "pandas" in sys.modules:
        return
    if not any(isinstance(f, _HiddenPandas) for f in sys.meta_path):
        sys.meta_path.insert(0, _HiddenPandas())
