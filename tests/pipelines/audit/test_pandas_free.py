"""A process of corpusgate's own runs without pandas: Beam and pyarrow go on without
it, and writing a table works the same."""

import subprocess
import sys

CHECK = """
import sys
from corpusgate.pipelines.audit.pandas_free import hide_pandas

hide_pandas()
import apache_beam
import pyarrow as pa

batch = pa.RecordBatch.from_pylist([{"a": 1, "b": "x"}])  # pyarrow's pandas probe
assert batch.to_pylist() == [{"a": 1, "b": "x"}]
try:
    import pandas
except ModuleNotFoundError:
    pass
else:
    raise AssertionError("pandas imported")
assert not any(m == "pandas" or m.startswith("pandas.") for m in sys.modules)
"""


def test_beam_and_pyarrow_run_without_pandas():
    done = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
