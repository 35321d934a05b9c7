"""Exit codes, and the error every command reports the same way.

`cli.py` returns these codes: 0 success (gate: not failed), 1 the gate failed,
2 a usage, input or policy error (one line naming the file and the problem),
3 the audit job failed.
"""

EXIT_OK = 0
EXIT_GATE_FAILED = 1
EXIT_USAGE = 2
EXIT_JOB_FAILED = 3

# The gate's overall result -> the exit code CI sees.
GATE_EXIT_CODES = {"pass": EXIT_OK, "incomplete": EXIT_OK, "fail": EXIT_GATE_FAILED}


class UsageError(Exception):
    """A problem the user must fix (exit 2). The message is one line that names the
    file or option and the problem; `cli.py` prints it without a traceback."""
