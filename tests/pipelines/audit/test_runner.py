"""Local runner defaults: worker processes on every usable core for runs whose
expected work pays for them, whatever the user chose otherwise."""

import pytest
from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions
from corpusgate.detectors import registry
from corpusgate.pipelines.audit import runner
from corpusgate.pipelines.audit.runner import (
    MULTI_PROCESS_MIN_WORK_S,
    SCAN_SECONDS_PER_MB,
    expected_work_s,
    in_one_process,
    local_runner,
    with_local_defaults,
)

MB = 1_000_000
ALL = ("pii", "secrets", "cbrn", "exact_duplicate", "near_duplicate", "poisoning")
BIG, SMALL = 2 * MB, MB // 2
MULTI = "--direct_running_mode=multi_processing"


@pytest.mark.parametrize(
    ("args", "size", "cores", "added"),
    [
        ([], BIG, 2, [MULTI]),
        ([], SMALL, 2, []),  # small input: in-process
        ([], BIG, 1, []),  # one core: nothing to gain
        (["--direct_running_mode=in_memory"], BIG, 4, []),  # the user's choice
        (["--direct_num_workers=1"], BIG, 4, []),
        (["--runner=PortableRunner"], BIG, 4, []),
        (["--job_endpoint=localhost:8099"], SMALL, 4, []),
    ],
)
def test_worker_processes_only_for_large_local_runs(
    monkeypatch, args, size, cores, added
):
    monkeypatch.setattr(runner, "usable_cores", lambda: cores)
    assert with_local_defaults(args, size, ALL) == [*args, *added]


@pytest.mark.parametrize(
    ("detectors", "size", "multi"),
    [
        (ALL, 1 * MB, True),  # every detector: from about 0.8 MB
        (ALL, MB // 2, False),
        (("pii",), 2 * MB, True),
        (("near_duplicate",), 3_300_000, False),  # a dev set of 2.5k documents
        (("near_duplicate",), 10 * MB, True),
        (("near_duplicate",), 7 * MB, True),
        (("exact_duplicate",), 8 * MB, False),  # cheap per record
        (("my_plugin",), 10 * MB, True),  # unknown: costed like poisoning
    ],
)
def test_the_choice_follows_the_detectors_work(monkeypatch, detectors, size, multi):
    monkeypatch.setattr(runner, "usable_cores", lambda: 2)
    assert (MULTI in with_local_defaults([], size, detectors)) is multi
    assert (expected_work_s(size, detectors) >= MULTI_PROCESS_MIN_WORK_S) is multi


def test_every_detector_has_a_cost():
    assert set(SCAN_SECONDS_PER_MB) == set(registry.CONTRACT_NAMES)


def test_workers_are_corpusgate_s_entry_point_on_every_core(monkeypatch):
    monkeypatch.setattr(runner, "usable_cores", lambda: 3)
    fn_runner, options, name = local_runner(PipelineOptions([MULTI]))
    assert options.view_as(DirectOptions).direct_num_workers == 3
    assert name == "FnApiRunner (3 worker processes)"
    payload = fn_runner._default_environment.command_string
    assert payload.endswith("-m corpusgate.pipelines.audit.worker")
    # The user's number of workers is kept.
    _, options, _ = local_runner(
        PipelineOptions([MULTI, "--direct_num_workers=2"]), workers_given=True
    )
    assert options.view_as(DirectOptions).direct_num_workers == 2


def test_in_process_by_default():
    _, options, name = local_runner(PipelineOptions([]))
    assert name == "FnApiRunner"
    assert options.view_as(DirectOptions).direct_num_workers == 1


@pytest.mark.parametrize(
    ("args", "one"),
    [
        ([], True),
        (["--direct_running_mode=in_memory"], True),
        ([MULTI], False),
        ([MULTI, "--direct_num_workers=2"], False),
        (["--direct_num_workers=2"], False),  # threads of this process
    ],
)
def test_only_the_one_process_run_skips_spreading_records(args, one):
    _, options, name = local_runner(
        PipelineOptions(args), workers_given="--direct_num_workers=2" in args
    )
    assert in_one_process(options, name) is one
    assert not in_one_process(PipelineOptions(args), "PortableRunner")


def test_a_given_worker_command_starts_the_workers(monkeypatch):
    monkeypatch.setattr(runner, "usable_cores", lambda: 2)
    fn_runner, _, _ = local_runner(PipelineOptions([MULTI]), False, "joins-warm DIR")
    assert fn_runner._default_environment.command_string == "joins-warm DIR"


def test_audit_options_make_one_view_per_class_sharing_the_values():
    from apache_beam.options.pipeline_options import StandardOptions, TypeOptions

    options = runner.audit_options(["--direct_num_workers=3", "--runner=FnApiRunner"])
    direct = options.view_as(DirectOptions)
    assert options.view_as(DirectOptions) is direct
    assert direct.direct_num_workers == 3
    assert options.view_as(StandardOptions).runner == "FnApiRunner"
    # a value set through one view is seen through the options and a new view
    direct.direct_num_workers = 5
    assert options.view_as(DirectOptions).direct_num_workers == 5
    assert options.get_all_options()["direct_num_workers"] == 5
    assert options.view_as(TypeOptions).pipeline_type_check is True
    assert isinstance(options, PipelineOptions)
