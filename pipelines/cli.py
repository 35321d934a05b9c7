"""`corpusgate` command line (docs/cli.md is generated from this parser): the one
place that parses arguments, prints results and turns them into exit codes
(`pipelines/errors.py`: 0 success or gate not failed, 1 gate failed, 2 usage, input
or policy error in one line, 3 the job failed).

`audit` and `demo` run the Beam job (`pipelines/audit/`); gate, report, sample,
review and apply call the release functions (`pipelines/release/`), which return
their results and raise `UsageError` for what the user must fix.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import secrets
import sys
import tomllib
from collections.abc import Sequence
from importlib import resources
from typing import Any, NoReturn

from corpusgate.detectors.masking import mask_free_text
from corpusgate.pipelines import log_filters
from corpusgate.pipelines.errors import (
    EXIT_JOB_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
)
from corpusgate.schemas.options import (
    AUDIT_OPTIONS,
    OptionError,
    check_audit_section,
)

log = logging.getLogger("corpusgate")


AUDIT_DESCRIPTION = """\
Audit a corpus: every record is scanned by the selected detectors and the results are
written as Parquet tables (findings, documents, sources, dead_letters) and run.json
into OUT. Then: gate, report, sample, review, apply, card.

INPUT is a file, a directory (read recursively) or a glob, local or gs://...; several
may be given. Formats by extension (or --format for all files):
  .jsonl .json .ndjson (also .gz, .zst)  one JSON object per line
  .parquet .avro                         one record per row
  .txt                                   one document per file
A FILE.provenance.json beside a file (or provenance.json in its directory) gives its
source_id, acquisition, license, collected_at, consent_record.
"""

AUDIT_EPILOG = """\
detectors (--detectors, default all):
  pii              personal information (Chinese and English)
  secrets          credentials, keys and tokens
  cbrn             chemical, biological, radiological and nuclear uplift
  exact_duplicate  records identical after normalisation
  near_duplicate   near-identical records (MinHash)
  copyright        overlap with protected works (needs --reference)
  poisoning        planted triggers and outlier groups
  labels           likely wrong labels (needs a label field)

Apache Beam: options this command does not know go to Beam, e.g. --runner=FlinkRunner
--flink_master=HOST:PORT, --direct_num_workers=4 --direct_running_mode=multi_processing.
Without --runner, the job runs in this process for inputs under 1 MiB, on one
worker process per core from 1 MiB (Beam's FnApiRunner; docs/runners.md).

exit codes: 0 done; 2 usage or input error (one line naming the file or option);
3 the job failed (one line with the cause; -v shows the traceback).
"""


def _add_audit_options(p: argparse.ArgumentParser, demo: bool = False) -> None:
    p.add_argument(
        "--out",
        required=not demo,
        help="output directory (local or gs://...)"
        + (" [corpusgate-demo-out]" if demo else ""),
    )
    p.add_argument(
        "--format",
        default="auto",
        choices=["auto", "jsonl", "parquet", "avro", "text"],
        help="read every input file as this format [auto: by file extension]",
    )
    p.add_argument(
        "--text-field", default=None, help="field holding a record's text [text]"
    )
    p.add_argument(
        "--id-field", default=None, help="field holding a record's own id [id]"
    )
    p.add_argument(
        "--label-field",
        default=None,
        help="field holding a record's class label (labels detector) [label]",
    )
    p.add_argument(
        "--source-field",
        default=None,
        help="field naming a record's logical source (gate and summary group by it) "
        "[the input file]",
    )
    p.add_argument(
        "--text-source",
        default="directory",
        choices=["directory", "file"],
        help="the source of a .txt document when its provenance sidecar names no "
        "source_id: its directory, or the file itself [directory]",
    )
    p.add_argument(
        "--detectors",
        default="all",
        help="comma-separated detector names, or 'all' (listed below) [all]",
    )
    p.add_argument(
        "--reference",
        nargs="+",
        default=[],
        metavar="PATH",
        help="protected reference works (copyright)",
    )
    p.add_argument(
        "--baseline",
        default=None,
        metavar="OUT",
        help="an earlier audit's output (tampering check)",
    )
    p.add_argument(
        "--config",
        default=None,
        metavar="FILE.toml",
        help="[audit] settings and [detectors.<name>] options (docs/configuration.md; "
        "command-line options win)",
    )
    p.add_argument(
        "--avro",
        action="store_true",
        help="also write every table as Avro, under OUT/avro/<table>/",
    )
    p.add_argument(
        "--overwrite",
        action="store_true",
        help="replace a finished audit already in --out (only the files it wrote, "
        "once the new run has succeeded)",
    )
    p.add_argument(
        "--discard-post-audit",
        action="store_true",
        help="with --overwrite: delete the previous run's gate.json, gate/, "
        "report.html, sample/, review/ and croissant.json instead of moving them "
        "into OUT/archive/<previous run id>/",
    )
    p.add_argument(
        "--run-id",
        default=None,
        help="fix the run id (reproducible runs): letters, digits, '.', '_', '-'",
    )
    loudness = p.add_mutually_exclusive_group()
    loudness.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress line and no informational messages (warnings and errors "
        "only); the summary is still printed",
    )
    loudness.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="-v: corpusgate's own debug messages and a job failure's traceback; "
        "-vv: Apache Beam's messages too. Exit codes do not depend on it",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="corpusgate",
        description="Audit training corpora for the AI Safety Governance Framework's "
        "data risks. Unknown --options of `audit` and `demo` go to Apache Beam.",
        epilog="exit codes: 0 success (gate: pass), 1 gate failed, 2 usage or input "
        "error, 3 the job failed. `corpusgate COMMAND --help` describes a command.",
    )
    parser.add_argument(
        "--version", action="version", version=f"corpusgate {_version()}"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    audit = sub.add_parser(
        "audit",
        help="audit a corpus (Beam job)",
        description=AUDIT_DESCRIPTION,
        epilog=AUDIT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    audit.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="file, directory or glob to audit (formats above)",
    )
    _add_audit_options(audit)
    demo = sub.add_parser(
        "demo",
        help="audit the demo corpus shipped in the package",
        description="Audit the small demo corpus shipped in the package (with its "
        "reference works, so every detector runs) into --out, replacing an earlier "
        "demo audit there.",
        epilog=AUDIT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_audit_options(demo, demo=True)
    _add_release_commands(sub)
    return parser


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("corpusgate")
    except metadata.PackageNotFoundError:
        return "0+unknown"


# --- release commands ----------------------------------------------------------------


def _add_release_commands(sub) -> None:
    from corpusgate.pipelines.release import SAMPLE_MAX_CHARS, SAMPLE_SIZE

    gate = sub.add_parser(
        "gate", help="check the audit against the release policy (exit 0 pass, 1 fail)"
    )
    gate.add_argument("out", metavar="OUT", help="audit output directory")
    gate.add_argument(
        "--policy",
        metavar="POLICY.toml",
        help="policy file overlaying the default GB/T 45654-2025 policy",
    )

    report = sub.add_parser("report", help="write OUT/report.html")
    report.add_argument("out", metavar="OUT", help="audit output directory")
    report.add_argument(
        "--policy",
        metavar="POLICY.toml",
        help="policy for the gate section (default: the one the last `gate` run "
        "recorded in OUT/gate.json, else GB/T 45654-2025)",
    )

    sample = sub.add_parser("sample", help="draw a review sample for people")
    sample.add_argument("out", metavar="OUT", help="audit output directory")
    sample.add_argument(
        "--size",
        type=int,
        default=SAMPLE_SIZE,
        help=f"records to sample [{SAMPLE_SIZE}]",
    )
    sample.add_argument("--seed", type=int, default=0, help="random seed [0]")
    sample.add_argument(
        "--include-dropped",
        action="store_true",
        help="also sample records the audit decided to drop [release corpus only]",
    )
    sample.add_argument(
        "--max-chars",
        type=int,
        default=SAMPLE_MAX_CHARS,
        help="cut the text shown to this many characters; 0: no limit "
        f"[{SAMPLE_MAX_CHARS}]",
    )
    sample.add_argument(
        "--force",
        action="store_true",
        help="replace an existing sample even though verdicts were recorded for it",
    )

    review = sub.add_parser("review", help="fold reviewers' verdicts back in")
    review.add_argument("out", metavar="OUT", help="audit output directory")
    review.add_argument(
        "--verdicts",
        required=True,
        metavar="FILE",
        help="CSV or Parquet: doc_id, verdict (pass|fail), reason, reviewer",
    )

    apply = sub.add_parser(
        "apply", help="write the release corpus (drop, redact, keep)"
    )
    apply.add_argument("out", metavar="OUT", help="audit output directory")
    apply.add_argument(
        "--dest", required=True, metavar="DIR", help="release corpus directory"
    )
    apply.add_argument(
        "--redact-style",
        choices=("tag", "mask"),
        default="tag",
        help="tag: replace a span with [FINDING_TYPE]; mask: one * per character [tag]",
    )
    apply.add_argument(
        "--keep-unscanned",
        action="store_true",
        help="keep records the audit could not scan (dead letters) [remove them]",
    )
    apply.add_argument(
        "--include-unreviewed",
        action="store_true",
        help="release records decided `review` without a passing verdict too "
        "(recorded in the manifest) [hold them back]",
    )
    apply.add_argument(
        "--overwrite", action="store_true", help="write into a non-empty DIR"
    )

    show = sub.add_parser(
        "show", help="print one record with its findings marked (masked)"
    )
    show.add_argument("out", metavar="OUT", help="audit output directory")
    show.add_argument("doc_id", metavar="DOC_ID", help="the document's doc_id")
    show.add_argument(
        "--raw",
        action="store_true",
        help="show the text as it is, findings marked (needs the input files) [masked]",
    )

    card = sub.add_parser(
        "card", help="write the audit as a Croissant data card (OUT/croissant.json)"
    )
    card.add_argument("out", metavar="OUT", help="audit output directory")
    card.add_argument(
        "--name", default=None, help="the dataset's name [corpus audited by corpusgate]"
    )
    card.add_argument(
        "--dest",
        default=None,
        metavar="FILE",
        help="where to write the card [OUT/croissant.json]",
    )


def run_gate(args) -> int:
    from corpusgate.pipelines.release.gate import format_table, gate

    result = gate(args.out, args.policy)
    print(format_table(result))
    return result.exit_code


def run_report(args) -> int:
    from corpusgate.pipelines.release.report import report

    print(f"corpusgate report: wrote {report(args.out, args.policy)}")
    return EXIT_OK


def run_sample(args) -> int:
    from corpusgate.pipelines.release.sample import sample

    result = sample(
        args.out,
        args.size,
        args.seed,
        args.include_dropped,
        args.max_chars,
        args.force,
    )
    n = len(result.rows)
    print(
        f"corpusgate sample: {n} records from {len(result.meta['strata'])} sources "
        f"(seed {args.seed}) -> {result.directory}/sample.csv and sample.parquet"
    )
    if n < args.size:
        print(f"  note: the corpus has only {n} eligible records")
    return EXIT_OK


def run_review(args) -> int:
    from corpusgate.pipelines.release.review import review

    result = review(args.out, args.verdicts)
    n, passed, b = len(result.rows), result.passed, result.bounds
    print(
        f"corpusgate review: {n} verdicts stored in {result.path}; "
        f"{passed}/{n} pass = {100 * passed / n:.2f}% "
        f"(one-sided 95% lower bound {100 * b.lower:.2f}%)"
    )
    return EXIT_OK


def run_apply(args) -> int:
    from corpusgate.pipelines.release.apply import MANIFEST_DIR, apply

    manifest = apply(
        args.out,
        args.dest,
        args.redact_style,
        args.keep_unscanned,
        args.overwrite,
        args.include_unreviewed,
    )
    t = manifest["totals"]
    print(
        f"corpusgate apply: {t['records_out']}/{t['records_in']} records written to "
        f"{args.dest} ({t['dropped']} dropped, {t['unscanned_dropped']} unscanned "
        f"removed, {t['redacted']} redacted, {t['spans_masked']} spans masked, "
        f"{t['held_for_review']} held back for review); "
        f"manifest in {os.path.join(args.dest, MANIFEST_DIR)}"
    )
    return EXIT_OK


def run_show(args) -> int:
    from corpusgate.pipelines.release.show import show

    print(show(args.out, args.doc_id, args.raw))
    return EXIT_OK


def run_card(args) -> int:
    from corpusgate.pipelines.release.card import card

    dest = card(args.out, args.name, args.dest)
    print(f"corpusgate card: wrote {dest} (Croissant 1.1 with RAI fields)")
    return EXIT_OK


RELEASE_COMMANDS = {
    "gate": run_gate,
    "report": run_report,
    "sample": run_sample,
    "review": run_review,
    "apply": run_apply,
    "show": run_show,
    "card": run_card,
}


# --- audit ---------------------------------------------------------------------


def _load_config_file(path: str | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such config file") from None
    except tomllib.TOMLDecodeError as e:
        raise UsageError(f"{path}: not valid TOML ({e})") from None
    unknown = sorted(set(data) - {"audit", "detectors"})
    if unknown:
        raise UsageError(
            f"{path}: unknown section(s) {', '.join(unknown)}; "
            "expected [audit] and [detectors.<name>]"
        )
    try:
        data["audit"] = check_audit_section(data.get("audit", {}))
    except OptionError as e:
        raise UsageError(f"{path}: {e}") from None
    return data


def _salt(audit_section: dict[str, Any], path: str | None) -> tuple[bytes, bool]:
    """(salt, configured?): from [audit] salt, the env var named by salt_env (default
    CORPUSGATE_SALT), else random for this run and never stored."""
    if "salt" in audit_section:
        return audit_section["salt"].encode(), True
    env_name = audit_section.get("salt_env", "CORPUSGATE_SALT")
    value = os.environ.get(env_name)
    if value:
        try:
            AUDIT_OPTIONS["salt"].check(f"${env_name}:", "salt", value)
        except OptionError as e:
            raise UsageError(str(e)) from None
        return value.encode(), True
    if "salt_env" in audit_section:
        raise UsageError(f"{path}: [audit] salt_env names {env_name}, which is not set")
    return secrets.token_bytes(32), False


def make_audit_config(args: argparse.Namespace, inputs: list[str], argv: Sequence[str]):
    from corpusgate.detectors import registry
    from corpusgate.detectors.base import ConfigError
    from corpusgate.pipelines.audit.job import AuditConfig, new_run_id
    from corpusgate.pipelines.audit.output_guard import (
        OutputPlacementError,
        check_out_placement,
        check_run_id,
    )
    from corpusgate.pipelines.audit.scan import DetectorSpec
    from corpusgate.pipelines.audit.write import existing_audit, foreign_tables
    from corpusgate.pipelines.inputs import InputError, ReadOptions, expand_inputs

    file_config = _load_config_file(args.config)
    audit_section = file_config.get("audit", {})
    try:
        names = registry.parse_selection(args.detectors)
    except registry.UnknownDetectorError as e:
        raise UsageError(f"--detectors: {e}") from None
    # Detectors that need reference works: an error when named, skipped under `all`
    # (said once the rest of the command line is known to be valid).
    skipped = []
    if not args.reference:
        skipped = [
            n for n in names if getattr(registry.get(n), "needs_references", False)
        ]
        if skipped and (args.detectors or "").strip() not in ("", "all"):
            raise UsageError(f"--detectors {skipped[0]} needs --reference PATH...")
        names = [n for n in names if n not in skipped]
    detector_sections = file_config.get("detectors", {})
    for name in detector_sections:
        if name not in registry.CONTRACT_NAMES and name not in registry.available():
            raise UsageError(f"{args.config}: [detectors.{name}] is not a detector")
    specs = []
    for name in names:
        cls = registry.get(name)
        try:
            detector = cls(detector_sections.get(name, {}))
        except ConfigError as e:
            raise UsageError(f"{args.config}: {e}") from None
        specs.append(DetectorSpec(name, detector.config))

    def pick(cli_value, key, default):
        return cli_value if cli_value is not None else audit_section.get(key, default)

    read = ReadOptions(
        text_field=pick(args.text_field, "text_field", "text"),
        id_field=pick(args.id_field, "id_field", "id"),
        label_field=pick(args.label_field, "label_field", "label"),
        source_field=pick(args.source_field, "source_field", None),
        text_source=args.text_source,
        max_record_bytes=audit_section.get(
            "max_record_bytes", ReadOptions.max_record_bytes
        ),
    )
    try:
        skipped_inputs: list[str] = []
        files = expand_inputs(inputs, args.format, skipped_inputs)
        # Directories and globs of reference works become their files here, once.
        references = tuple(
            f.uri for f in (expand_inputs(args.reference) if args.reference else [])
        )
    except InputError as e:
        raise UsageError(str(e)) from None
    run_id = args.run_id or new_run_id()
    try:
        check_run_id(run_id)
        input_dirs = [p for p in (*inputs, *args.reference) if os.path.isdir(p)]
        check_out_placement(
            args.out, input_dirs, [f.uri for f in files] + list(references)
        )
    except OutputPlacementError as e:
        raise UsageError(str(e)) from None
    foreign = foreign_tables(args.out)
    if foreign:
        raise UsageError(
            f"{foreign[0]}: exists, but {args.out} holds no finished audit (no "
            "run.json); corpusgate replaces only what it wrote: use another --out"
        )
    if existing_audit(args.out) and not args.overwrite:
        raise UsageError(
            f"{args.out}: already holds an audit; use --overwrite to replace it"
        )
    salt, salt_configured = _salt(audit_section, args.config)
    for name in skipped:
        log.warning("%s skipped: no --reference given", name)
    return AuditConfig(
        inputs=files,
        out=args.out if "://" in args.out else os.path.abspath(args.out),
        detectors=specs,
        read=read,
        run_id=run_id,
        salt=salt,
        references=references,
        baseline=args.baseline,
        avro=args.avro,
        overwrite=args.overwrite,
        discard_post_audit=args.discard_post_audit,
        skipped_inputs=skipped_inputs,
        max_findings_per_record=audit_section.get(
            "max_findings_per_record", AuditConfig.max_findings_per_record
        ),
        batch_size=audit_section.get("batch_size", AuditConfig.batch_size),
        argv=list(argv),
        config_file={"path": args.config, "salt_from": salt_configured},
    )


def run_audit_command(args, inputs, beam_args, argv, on_result=None) -> int:
    """`corpusgate audit` (and `demo`); `on_result` gets Beam's pipeline result
    (`run_audit`)."""
    # A run that will use worker processes starts them before this process imports
    # Beam, so that their start-up overlaps its own (pipelines/audit/warm.py).
    warm = _start_warm_workers(args, inputs, beam_args)
    try:
        return _run_audit(args, inputs, beam_args, argv, warm, on_result)
    finally:
        if warm is not None:
            warm.close()


def _run_audit(args, inputs, beam_args, argv, warm, on_result) -> int:
    from corpusgate.pipelines.audit.job import run_audit
    from corpusgate.pipelines.audit.output_guard import OutputLockedError
    from corpusgate.pipelines.audit.runner import (
        local_worker_count,
        with_local_defaults,
    )
    from corpusgate.pipelines.audit.summary import print_summary

    config = make_audit_config(args, inputs, argv)
    # Large local runs use worker processes, one per core (docs/runners.md).
    beam_args = with_local_defaults(
        beam_args,
        sum(f.size for f in config.inputs),
        [s.name for s in config.detectors],
    )
    worker_command = None
    if warm is not None and local_worker_count(beam_args):
        warm.send(config.detectors, config.salt)
        worker_command = warm.command()
    try:
        with _progress_display(args, beam_args):
            manifest = run_audit(
                config, beam_args, on_result=on_result, worker_command=worker_command
            )
    except OutputLockedError as e:
        raise UsageError(str(e)) from None
    except Exception as e:
        log.debug("job failed", exc_info=True)
        print(
            f"corpusgate: error: the audit job failed: {job_failure(e)}",
            file=sys.stderr,
        )
        return EXIT_JOB_FAILED
    print_summary(config.out, manifest)
    counts = manifest["counts"]
    if counts["scanned"] == 0:
        if counts["records_read"] == 0:
            what = "the input files hold no records (empty)"
        else:
            what = (
                f"{counts['records_read']} record(s), all dead-lettered"
                f"{_first_dead_letter(config.out)} (see {config.out}/dead_letters)"
            )
        print(f"corpusgate: error: nothing could be read: {what}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


# Where `_local_bytes` stops counting: every selection of detectors runs on worker
# processes from far less (docs/runners.md), and a huge folder is not walked twice.
LOCAL_BYTES_ENOUGH = 64 * 1024 * 1024


def _local_bytes(paths: Sequence[str]) -> int | None:
    """The size of local input paths (files, folders, glob patterns), counted up to
    LOCAL_BYTES_ENOUGH, without importing Beam; None if one is remote."""
    import glob
    import itertools

    if any("://" in path for path in paths):
        return None
    files = itertools.chain.from_iterable(
        (
            (
                os.path.join(folder, n)
                for folder, _, names in os.walk(path)
                for n in names
            )
            if os.path.isdir(path)
            else [path]
            if os.path.exists(path)
            else glob.iglob(path, recursive=True)
        )
        for path in paths
    )
    total = 0
    for path in files:
        total += _size(path)
        if total >= LOCAL_BYTES_ENOUGH:
            break
    return total


def _size(path: str) -> int:
    try:
        return os.path.getsize(path) if os.path.isfile(path) else 0
    except OSError:
        return 0


def _start_warm_workers(args: argparse.Namespace, inputs: list[str], beam_args):
    """Warm worker processes (pipelines/audit/warm.py) when the run will most
    likely use local worker processes, judged from the input's local size and the
    selected detectors before the configuration is checked; None otherwise."""
    from corpusgate.detectors import registry
    from corpusgate.pipelines.audit.runner import (
        local_worker_count,
        with_local_defaults,
    )
    from corpusgate.pipelines.audit.warm import WarmWorkers
    from corpusgate.pipelines.audit.worker import WORKER_QUIET_ENV

    size = _local_bytes(inputs)
    if size is None:
        return None
    # The names as given (checked later): checking imports each detector's module.
    spec = (args.detectors or "").strip()
    names = (
        registry.available()
        if spec in ("", "all")
        else [n.strip() for n in spec.split(",") if n.strip()]
    )
    count = local_worker_count(with_local_defaults(beam_args, size, names))
    if count < 1:
        return None
    # Read by each worker as it starts: it prints no progress lines with -q.
    os.environ[WORKER_QUIET_ENV] = "1" if args.quiet else ""
    try:
        return WarmWorkers(count)
    except OSError as e:  # e.g. a temporary folder whose path is too long for a socket
        log.debug("no warm workers: %s", e)
        return None


def _first_dead_letter(out: str) -> str:
    """The most frequent reason of an audit's dead letters, with a file it hit, so
    that the one error line says what is wrong where (the messages are masked)."""
    from collections import Counter

    from corpusgate.pipelines.outputs import read_table
    from corpusgate.schemas.tables import DEAD_LETTERS

    try:
        rows = read_table(out, DEAD_LETTERS).to_pylist()
    except Exception:  # the table is only a convenience here
        return ""
    if not rows:
        return ""
    reasons = Counter((r["error_type"], r["message"]) for r in rows)
    (error_type, message), n = reasons.most_common(1)[0]
    source = next(r["source"] for r in rows if r["message"] == message)
    many = f" (and {len(rows) - n} other)" if n < len(rows) else ""
    return f": {source}: {error_type}: {message}{many}"


def job_failure(error: BaseException) -> str:
    """One line naming the cause of a failed job: the first line of the underlying
    error, masked (a worker's error can quote the record it failed on). Beam re-raises
    a worker's exception with its step appended, or wraps it in an error whose text
    holds the worker's traceback; the cause is the line after that traceback."""
    cause = error
    while cause.__cause__ is not None:
        cause = cause.__cause__
    lines = [line for line in str(cause).splitlines() if line.strip()]
    if "Traceback (most recent call last):" in lines:
        after = lines[
            len(lines) - lines[::-1].index("Traceback (most recent call last):") :
        ]
        lines = [line for line in after if not line.startswith((" ", "\t"))]
        text = lines[0] if lines else type(cause).__name__
    else:
        text = f"{type(cause).__name__}: {lines[0]}" if lines else type(cause).__name__
    text = re.sub(r" \[while running '[^']*'\]$", "", text.strip())
    return mask_free_text(text, 500)


def _progress_display(args: argparse.Namespace, beam_args: Sequence[str]):
    """The live progress line for runs in this process (the default runner), unless
    -q. Remote and multi-process runs log progress from their workers instead."""
    import contextlib

    from apache_beam.options.pipeline_options import PipelineOptions
    from corpusgate.pipelines.audit.progress import LiveProgress
    from corpusgate.pipelines.audit.worker import WORKER_QUIET_ENV

    options = PipelineOptions(list(beam_args)).get_all_options()
    if options.get("runner") is not None or options.get("direct_running_mode") not in (
        None,
        "in_memory",
    ):
        # Local worker processes print their own progress lines, unless -q.
        os.environ[WORKER_QUIET_ENV] = "1" if args.quiet else ""
        return contextlib.nullcontext()
    if args.quiet:
        return contextlib.nullcontext()
    return LiveProgress()


def demo_inputs() -> list[str]:
    data = resources.files("corpusgate.pipelines") / "demo_data"
    return [str(data)]


def demo_references() -> list[str]:
    """Public-domain works some demo posts quote (for the copyright detector)."""
    return [str(resources.files("corpusgate.pipelines") / "demo_references")]


def _configure_logging(verbosity: int) -> None:
    """-q (-1): warnings; default (0): corpusgate's informational messages; -v (1):
    corpusgate's debug messages; -vv (2): other libraries' (Beam's) too. Beam's
    loggers never go below INFO: at DEBUG they log the elements (log_filters)."""
    logging.basicConfig(
        level=logging.DEBUG if verbosity >= 2 else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for handler in logging.getLogger().handlers:
        handler.addFilter(log_filters.drop_optional_client_warnings)
    own = {-1: logging.WARNING, 0: logging.INFO}.get(verbosity, logging.DEBUG)
    logging.getLogger("corpusgate").setLevel(own)
    if verbosity < 2:
        # Beam logs a lot at INFO, at WARNING about optional clients, and a failing
        # worker's traceback at ERROR: the CLI says the cause in one line instead
        # (and shows the traceback with -v).
        logging.getLogger("apache_beam").setLevel(logging.CRITICAL)
        logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    log_filters.install()


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    _configure_logging(
        -1 if getattr(args, "quiet", False) else getattr(args, "verbose", 0) or 0
    )
    try:
        if args.command in ("audit", "demo"):
            inputs = args.inputs if args.command == "audit" else demo_inputs()
            if args.command == "demo":
                args.out = args.out or "corpusgate-demo-out"
                args.reference = args.reference or demo_references()
                args.overwrite = True
            return run_audit_command(args, inputs, unknown, argv)
        if unknown:
            parser.error(f"unrecognized arguments: {' '.join(unknown)}")
        return RELEASE_COMMANDS[args.command](args)
    except UsageError as e:  # policy errors too
        name = f"corpusgate {args.command}" if args.command in RELEASE_COMMANDS else ""
        print(f"{name or 'corpusgate'}: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("corpusgate: interrupted", file=sys.stderr)
        return EXIT_JOB_FAILED


def exit_after_beam(code: int) -> NoReturn:
    """Ends a process that ran Beam with `code` once its output is flushed, by
    os._exit: Beam's gRPC threads can abort the interpreter's shutdown ("terminate
    called without an active exception") after the run has finished and been
    written, which would turn a success into a crash for the caller."""
    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)


def entrypoint() -> None:
    """The console script (ended by `exit_after_beam`). The process runs without
    pandas, which it never uses (`pandas_free.py`)."""
    from corpusgate.pipelines.audit.pandas_free import hide_pandas

    hide_pandas()
    exit_after_beam(main())


if __name__ == "__main__":
    entrypoint()
