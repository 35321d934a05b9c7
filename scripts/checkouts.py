"""Running another checkout of corpusgate beside this one (speed comparisons in the
same run: `bench_names.py --speed --baseline`, `bench_pipeline.py --baseline`)."""

from __future__ import annotations

import tempfile
from pathlib import Path


def package_path(root: Path) -> Path:
    """A folder to put on PYTHONPATH whose `corpusgate` package maps onto `root`'s
    top-level folders, as the editable install does for this checkout (processes
    started from there, such as worker processes, inherit it)."""
    shim = Path(tempfile.mkdtemp()) / "corpusgate"
    shim.mkdir()
    (shim / "__init__.py").write_text("")
    for top in ("detectors", "pipelines", "schemas"):
        (shim / top).symlink_to(root / top)
    return shim.parent
