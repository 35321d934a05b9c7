"""Choosing and configuring the Beam runner of an audit: the in-process FnApiRunner by
default, or the one `--runner` names (Flink, Spark, Dataflow, a portable job
service), with corpusgate staged to remote workers and job-service deadlines long
enough for long audits.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Sequence

# Beam is imported in the functions that need it: the CLI decides on worker processes
# (`with_local_defaults`) before it imports Beam, to start them early (warm.py).

log = logging.getLogger(__name__)


LOCAL_RUNNERS = frozenset(
    {
        "directrunner",
        "switchingdirectrunner",
        "bundlebaseddirectrunner",
        "fnapirunner",
        "prismrunner",
        "interactiverunner",
    }
)
# Environments whose workers run in a Python the user prepared (nothing is installed).
PREPARED_ENVIRONMENTS = frozenset({"EXTERNAL", "LOOPBACK"})


def project_setup_file() -> str | None:
    """setup.py of the corpusgate source tree this code runs from, if it runs from one
    (an editable or source install); None for an installed wheel."""
    from pathlib import Path

    import corpusgate.pipelines as package

    candidate = Path(package.__file__).resolve().parent.parent / "setup.py"
    return str(candidate) if candidate.is_file() else None


def staging_args(beam_args: Sequence[str], runner_name: str) -> list[str]:
    """Beam options that ship corpusgate to remote workers, unless the user already
    chose how (`--setup_file`, `--extra_package(s)`), the runner is local, or the
    workers run in an environment the user prepared (EXTERNAL worker pools)."""
    if runner_name.rsplit(".", 1)[-1].lower() in LOCAL_RUNNERS:
        return []
    from apache_beam.options.pipeline_options import (
        PipelineOptions,
        PortableOptions,
        SetupOptions,
    )

    options = PipelineOptions(list(beam_args))
    setup = options.view_as(SetupOptions)
    if setup.setup_file or setup.extra_packages:
        return []
    environment = (options.view_as(PortableOptions).environment_type or "").upper()
    if environment in PREPARED_ENVIRONMENTS:
        return []
    setup_file = project_setup_file()
    if setup_file is None:
        log.warning(
            "corpusgate is installed from a wheel: pass --extra_package=<wheel> or "
            "--sdk_container_image with corpusgate installed, so workers have it"
        )
        return []
    log.info("staging corpusgate to the workers with --setup_file=%s", setup_file)
    return [f"--setup_file={setup_file}"]


def audit_options(beam_args: Sequence[str]):
    """Beam's PipelineOptions of `beam_args`, with one view per options class: Beam
    asks for a view (TypeOptions...) for every transform it applies and every stage
    it translates, and each new view parses the flags with a new argparse parser,
    about half the time to build an audit's graph. A view shares the options' values
    (`PipelineOptions.view_as`), so one view per class is the same as one per call."""
    return _options_with_cached_views()(list(beam_args))


@functools.lru_cache(maxsize=1)
def _options_with_cached_views():
    from apache_beam.options.pipeline_options import PipelineOptions

    class OptionsWithCachedViews(PipelineOptions):
        def view_as(self, cls):
            views = self.__dict__.setdefault("_views", {})
            view = views.get(cls)
            if view is None:
                view = views[cls] = super().view_as(cls)
            return view

    return OptionsWithCachedViews


def _quiet_workers(beam_args: Sequence[str]) -> list[str]:
    """Beam's SDK workers log every channel they open at INFO; keep their logs to
    warnings and corpusgate's own progress lines unless the user set a level."""
    args = list(beam_args)
    if not any(a.startswith("--default_sdk_harness_log_level") for a in args):
        args.append("--default_sdk_harness_log_level=WARNING")
    if not any(a.startswith("--sdk_harness_log_level_overrides") for a in args):
        args.append('--sdk_harness_log_level_overrides={"corpusgate": "INFO"}')
    return args


def runner_and_options(beam_args: Sequence[str], worker_command: str | None = None):
    """(runner, options, name) of a run; `worker_command` starts a local run's worker
    processes instead of corpusgate's worker entry point (warm workers)."""
    from apache_beam.options.pipeline_options import StandardOptions

    beam_args = _quiet_workers(beam_args)
    options = audit_options(beam_args)
    runner_name = options.view_as(StandardOptions).runner
    if runner_name is None:
        # Beam's default DirectRunner first tries to download a Prism binary; the
        # FnApiRunner runs in-process (or multi-process) with no network at all.
        workers_given = any(a.startswith("--direct_num_workers") for a in beam_args)
        return local_runner(options, workers_given, worker_command)
    extra = staging_args(beam_args, runner_name) + job_service_args(
        beam_args, runner_name
    )
    if extra:
        options = audit_options([*beam_args, *extra])
    return None, options, runner_name


# A local run uses worker processes, one per usable core, when the work it expects is
# large enough to pay for them, unless the Beam options say otherwise: the workers
# import Beam and load the run's detectors once more than the launcher (in one warm
# process they are forked from, warm.py), and every stage's data crosses a gRPC
# channel to the launcher (1-1.5 s more wall time on two cores). The work
# is estimated from the input's size and the selected detectors: CPU seconds per MB of
# input in one process, measured with `bench_pipeline.py --profile` on the mixed
# real-text corpus (scan counters and each corpus detector's composite). Both modes
# write the same tables; docs/runners.md has the measurements behind the threshold.
SCAN_SECONDS_PER_MB = {
    "pii": 2.0,
    "poisoning": 0.6,
    "copyright": 0.5,
    "near_duplicate": 0.2,
    "secrets": 0.15,
    "exact_duplicate": 0.05,
    "cbrn": 0.05,
    "labels": 0.02,
}
# Every record's own facts (hash, language, text kind), reading and writing.
BASE_SECONDS_PER_MB = 0.2
# A detector this table does not know (a plug-in): assumed as costly as poisoning.
UNKNOWN_SECONDS_PER_MB = 0.6
# Expected one-process work from which worker processes are used: all detectors from
# about 0.8 MB of input, `near_duplicate` alone from about 6 MB (on an idle 2-core
# machine its wall times were equal at 5 MB, two workers 13% faster at 7.3 MB).
MULTI_PROCESS_MIN_WORK_S = 2.5


def expected_work_s(input_bytes: int, detectors: Sequence[str]) -> float:
    """CPU seconds the scan and the corpus detectors of a run over `input_bytes`
    would take in one process (a rough estimate: the threshold's unit)."""
    per_mb = BASE_SECONDS_PER_MB + sum(
        SCAN_SECONDS_PER_MB.get(name, UNKNOWN_SECONDS_PER_MB) for name in detectors
    )
    return input_bytes / 1e6 * per_mb


def usable_cores() -> int:
    return len(os.sched_getaffinity(0))


def with_local_defaults(
    beam_args: Sequence[str], input_bytes: int, detectors: Sequence[str]
) -> list[str]:
    """The Beam options of a run, with worker processes on all usable cores added for
    a local run whose expected work (`expected_work_s`) reaches
    MULTI_PROCESS_MIN_WORK_S, when the user chose no runner, running mode or number
    of workers."""
    args = list(beam_args)
    chosen = ("--runner", "--direct_running_mode", "--direct_num_workers")
    if any(a.startswith(chosen) for a in args):
        return args
    if usable_cores() < 2:
        return args
    if expected_work_s(input_bytes, detectors) < MULTI_PROCESS_MIN_WORK_S:
        return args
    return [*args, "--direct_running_mode=multi_processing"]


def _option(beam_args: Sequence[str], name: str) -> str | None:
    """The value of a Beam option given as `--name=value` or `--name value`."""
    for i, arg in enumerate(beam_args):
        if arg.startswith(f"--{name}="):
            return arg.split("=", 1)[1]
        if arg == f"--{name}" and i + 1 < len(beam_args):
            return beam_args[i + 1]
    return None


def local_worker_count(beam_args: Sequence[str]) -> int:
    """How many worker processes the local runner starts with these Beam options
    (0: none, the run is in this process or on another runner)."""
    if _option(beam_args, "runner") is not None:
        return 0
    if _option(beam_args, "direct_running_mode") != "multi_processing":
        return 0
    count = _option(beam_args, "direct_num_workers")
    try:
        return int(count) if count is not None else usable_cores()
    except ValueError:
        return 0


def local_runner(
    options, workers_given: bool = False, worker_command: str | None = None
):
    """The FnApiRunner: in this process, or, with `--direct_running_mode=
    multi_processing` (the default for large runs, `with_local_defaults`),
    `--direct_num_workers` worker processes (default: the usable cores) started with
    corpusgate's worker entry point, whose stderr goes through the log filter (Beam's
    own entry point logs element tracebacks unmasked), or with `worker_command`
    (which joins warm workers, `warm.py`)."""
    import shlex
    import sys

    from apache_beam.options.pipeline_options import DirectOptions
    from apache_beam.runners.portability.fn_api_runner import FnApiRunner
    from apache_beam.transforms.environments import SubprocessSDKEnvironment
    from corpusgate.pipelines.audit import worker

    direct = options.view_as(DirectOptions)
    if direct.direct_running_mode != "multi_processing":
        return FnApiRunner(), options, "FnApiRunner"
    if not workers_given:  # Beam's default is 1
        direct.direct_num_workers = usable_cores()
    # Beam replaces the runner's environment with its own worker command when the
    # options name multi_processing; the workers are the same, only started by ours.
    direct.direct_running_mode = "in_memory"
    command = worker_command or f"{shlex.quote(sys.executable)} -m {worker.MODULE}"
    environment = SubprocessSDKEnvironment.from_command_string(command)
    name = f"FnApiRunner ({direct.direct_num_workers} worker processes)"
    return FnApiRunner(default_environment=environment), options, name


def in_one_process(options, runner_name: str) -> bool:
    """Whether the run is the in-process FnApiRunner with one worker (`local_runner`):
    there is nothing to spread records over."""
    from apache_beam.options.pipeline_options import DirectOptions

    direct = options.view_as(DirectOptions)
    return (
        runner_name == "FnApiRunner"
        and direct.direct_running_mode in (None, "in_memory")
        and (direct.direct_num_workers or 1) <= 1
    )


# Runners that talk to a job service through Beam's job API.
JOB_API_RUNNERS = frozenset({"portablerunner", "flinkrunner", "sparkrunner"})
# Beam opens the job's state and message streams with `job_server_timeout` (300 s
# by default) as their deadline, so any audit longer than that fails on the client
# with a gRPC error while the job goes on. An audit may run for days.
JOB_STREAM_TIMEOUT_S = 7 * 24 * 3600
JOB_ENDPOINT_CONNECT_S = 30.0


def job_service_args(beam_args: Sequence[str], runner_name: str) -> list[str]:
    """`--job_server_timeout` long enough for a long audit when the job goes to a
    running job service (`--job_endpoint`), unless the user set it; first, a quick
    check that the endpoint accepts connections, because with the long timeout Beam
    would wait that long for a wrong one."""
    if runner_name.rsplit(".", 1)[-1].lower() not in JOB_API_RUNNERS:
        return []
    if any(
        a.startswith(("--job_server_timeout", "--job-server-timeout"))
        for a in beam_args
    ):
        return []
    from apache_beam.options.pipeline_options import PipelineOptions, PortableOptions

    endpoint = PipelineOptions(list(beam_args)).view_as(PortableOptions).job_endpoint
    if not endpoint or endpoint == "embed":
        # A job server Beam starts itself: the same timeout bounds the wait for it
        # to come up, so a long one could hide a server that never starts. Users
        # of long audits pass --job_server_timeout (README).
        return []
    check_job_endpoint(endpoint)
    return [f"--job_server_timeout={JOB_STREAM_TIMEOUT_S}"]


class JobEndpointError(RuntimeError):
    """The job service named by --job_endpoint does not accept connections."""


def check_job_endpoint(endpoint: str, timeout: float = JOB_ENDPOINT_CONNECT_S) -> None:
    import socket

    host, _, port = endpoint.rpartition(":")
    try:
        with socket.create_connection((host or "localhost", int(port)), timeout):
            pass
    except (OSError, ValueError) as e:
        raise JobEndpointError(
            f"--job_endpoint={endpoint}: no job service there ({e})"
        ) from None
