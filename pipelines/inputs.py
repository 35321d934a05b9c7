"""Reading corpora: input expansion (on the launcher) and record decoding (on workers).

The one decoder of input files: the audit job reads records with it, and `sample` and
`apply` read the audited files again with it, so record numbering and text are the
same everywhere. Everything goes through Beam's FileSystems, so gs://, s3:// and
hdfs:// work wherever their Beam extras are installed. Decoding never raises for one
bad record: each record becomes either a `Record` or a dead-letter row with its
reason, and each file a row of per-file statistics, so that records read = scanned +
dead-lettered.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import logging
import math
import os
import re
import stat
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from corpusgate.detectors.base import Record
from corpusgate.detectors.masking import mask_excerpt

log = logging.getLogger(__name__)

FORMATS = ("jsonl", "parquet", "avro", "text")
_EXTENSIONS = {
    ".jsonl": "jsonl",
    ".json": "jsonl",
    ".jsonl.gz": "jsonl",
    ".json.gz": "jsonl",
    ".jsonl.zst": "jsonl",
    ".json.zst": "jsonl",
    ".ndjson": "jsonl",
    ".ndjson.gz": "jsonl",
    ".ndjson.zst": "jsonl",
    ".parquet": "parquet",
    ".avro": "avro",
    ".txt": "text",
}
PROVENANCE_KEYS = (
    "source_id",
    "acquisition",
    "license",
    "collected_at",
    "collection_record",
    "consent_record",
)
ACQUISITION_TYPES = ("open_source", "self_collected", "commercial", "user_input")
SKIPPED_SHOWN = 5  # names of skipped files shown in the warning
_GLOB_CHARS = re.compile(r"[*?\[]")


class InputError(ValueError):
    """A problem with the inputs that the user must fix; the message names the file."""


@dataclass(frozen=True)
class ReadOptions:
    text_field: str = "text"
    id_field: str = "id"
    label_field: str = "label"
    source_field: str | None = None
    max_record_bytes: int = 32 * 1024 * 1024
    # The logical source of a .txt document (one file each), unless its provenance
    # sidecar names a source_id: "directory" (the file's folder) or "file".
    text_source: str = "directory"


def read_options(config: Mapping[str, Any]) -> ReadOptions:
    """The read options an audit ran with, from its resolved configuration (run.json
    `config`), so a later reader decodes the files exactly as the audit did."""
    given = config.get("read") if isinstance(config, Mapping) else None
    known = {f.name for f in fields(ReadOptions)}
    return ReadOptions(
        **{k: v for k, v in (given or {}).items() if k in known and v is not None}
    )


@dataclass(frozen=True)
class InputFile:
    uri: str
    format: str
    size: int
    provenance: dict[str, Any] = field(default_factory=dict)


# --- input expansion (launcher side) -------------------------------------------------


def format_of(path: str) -> str | None:
    name = path.lower()
    for ext in sorted(_EXTENSIONS, key=len, reverse=True):
        if name.endswith(ext):
            return _EXTENSIONS[ext]
    return None


def _is_sidecar(path: str) -> bool:
    base = path.rsplit("/", 1)[-1]
    return base == "provenance.json" or base.endswith(".provenance.json")


def _match(pattern: str) -> list[tuple[str, int]]:
    try:
        result = FileSystems.match([pattern])[0]
    except Exception as e:  # FileSystems raises BeamIOError for unreachable schemes
        raise InputError(f"{pattern}: cannot list ({e})") from None
    return [(m.path, m.size_in_bytes) for m in result.metadata_list]


def _not_regular(path: str) -> str | None:
    """What a local path is when it is not a regular file (after symlinks)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # missing: reported as such by the caller
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


def expand_inputs(
    patterns: list[str], fmt: str = "auto", skipped: list[str] | None = None
) -> list[InputFile]:
    """Files, directories (recursive) and globs -> the input files, sorted by URI.

    A literal path that does not exist is an error; a directory or glob that matches
    no readable file is only a warning, unless nothing at all is left to read. Files
    of unknown type under a directory or glob are appended to `skipped`.
    """
    if fmt != "auto" and fmt not in FORMATS:
        raise InputError(
            f"--format {fmt}: expected auto or one of {', '.join(FORMATS)}"
        )
    found: dict[str, tuple[int, str]] = {}
    for pattern in patterns:
        is_glob = bool(_GLOB_CHARS.search(pattern))
        is_local_dir = "://" not in pattern and os.path.isdir(pattern)
        if not (is_glob or is_local_dir or "://" in pattern):
            kind = _not_regular(pattern)
            if kind:
                raise InputError(f"{pattern}: is a {kind}, not a regular file")
        if is_local_dir:
            matches = _match(os.path.join(os.path.abspath(pattern), "**"))
        elif is_glob:
            matches = _match(pattern if "://" in pattern else os.path.abspath(pattern))
        else:
            path = pattern if "://" in pattern else os.path.abspath(pattern)
            matches = _match(path)
            if not matches and "://" in pattern:  # object stores have no directories
                matches = _match(pattern.rstrip("/") + "/**")
            if not matches:
                raise InputError(f"{pattern}: no such file or directory")
        kept = 0
        unknown: list[str] = []
        for path, size in matches:
            if _is_sidecar(path):
                continue
            kind = _not_regular(path) if "://" not in path else None
            if kind:
                # Reading a FIFO blocks forever, a device never ends.
                log.warning("%s: skipped, a %s is not a regular file", path, kind)
                continue
            file_format = fmt if fmt != "auto" else format_of(path)
            if file_format is None:
                if not (is_local_dir or is_glob):
                    raise InputError(
                        f"{path}: unknown file type; use --format or one of "
                        f"{', '.join(sorted(_EXTENSIONS))}"
                    )
                unknown.append(path)
                continue
            found[path] = (size, file_format)
            kept += 1
        if skipped is not None:
            skipped += unknown
        if unknown:
            # Said, not silent: a folder may hold a format the user expected read.
            names = ", ".join(p.rsplit("/", 1)[-1] for p in unknown[:SKIPPED_SHOWN])
            more = (
                f" and {len(unknown) - SKIPPED_SHOWN} more"
                if len(unknown) > SKIPPED_SHOWN
                else ""
            )
            log.warning(
                "%s: skipped %d file(s) of unknown type (%s%s); --format reads them",
                pattern,
                len(unknown),
                names,
                more,
            )
        if kept == 0:
            log.warning("%s: matched no input files", pattern)
    if not found:
        raise InputError(f"{' '.join(patterns)}: no input files to read")
    return [
        InputFile(uri, file_format, size, read_provenance(uri))
        for uri, (size, file_format) in sorted(found.items())
    ]


def read_provenance(uri: str) -> dict[str, Any]:
    """The provenance of one input file: `<file>.provenance.json`, else a
    `provenance.json` in its directory, else {}. A sidecar that is not valid JSON or
    has unknown keys or values is an input error, not something to guess about."""
    directory = uri.rsplit("/", 1)[0]
    for candidate in (uri + ".provenance.json", directory + "/provenance.json"):
        if not FileSystems.exists(candidate):
            continue
        try:
            with FileSystems.open(
                candidate, compression_type=CompressionTypes.UNCOMPRESSED
            ) as f:
                data = json.loads(f.read().decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as e:
            raise InputError(f"{candidate}: not valid JSON ({e})") from None
        if not isinstance(data, dict):
            raise InputError(f"{candidate}: expected a JSON object")
        unknown = sorted(set(data) - set(PROVENANCE_KEYS))
        if unknown:
            raise InputError(
                f"{candidate}: unknown key(s) {', '.join(unknown)}; "
                f"expected {', '.join(PROVENANCE_KEYS)}"
            )
        acquisition = data.get("acquisition")
        if acquisition is not None and acquisition not in ACQUISITION_TYPES:
            raise InputError(
                f"{candidate}: acquisition {acquisition!r} is not one of "
                f"{', '.join(ACQUISITION_TYPES)}"
            )
        return {k: (None if v is None else str(v)) for k, v in data.items()}
    return {}


# --- decoding (worker side) ----------------------------------------------------------


@dataclass
class DeadLetter:
    source: str
    record_index: int | None
    stage: str
    error_type: str
    message: str
    raw_excerpt: str

    def row(self, run_id: str) -> dict[str, Any]:
        return {"run_id": run_id, **self.__dict__}


@dataclass
class FileStats:
    """What reading one file produced; becomes the file's row in `sources`."""

    source: str
    format: str
    bytes: int = 0
    file_sha256: str = ""
    records: int = 0  # records read: scanned + dead-lettered
    dead_letters: int = 0


EXCERPT_CHARS = 200


def _masked(error: Exception) -> str:
    """A library's error message, which may quote the data it choked on."""
    return mask_excerpt(str(error), 300)


def _excerpt(raw: bytes | str) -> str:
    """The masked start of a dead record (masked before it is cut, mask_excerpt)."""
    window = EXCERPT_CHARS * 8
    if isinstance(raw, bytes):
        text = raw[: window * 4].decode("utf-8", "replace")
    else:
        text = raw[:window]
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates -> '?'
    return mask_excerpt(text, limit=EXCERPT_CHARS)


class _HashingReader(io.RawIOBase):
    """Reads a stream while hashing and counting every byte that passes through."""

    def __init__(self, raw) -> None:
        self._raw = raw
        self.sha256 = hashlib.sha256()
        self.bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.sha256.update(data)
        self.bytes += n
        return n

    def drain(self) -> None:
        while self.readinto(bytearray(1 << 20)):
            pass


def file_exists(uri: str) -> bool:
    return FileSystems.exists(uri)


def open_file(uri: str):
    """The raw bytes of an input file (no decompression by name)."""
    return FileSystems.open(uri, compression_type=CompressionTypes.UNCOMPRESSED)


def file_digest(uri: str) -> tuple[str, int]:
    """SHA-256 and size of a file's bytes as stored."""
    h = hashlib.sha256()
    n = 0
    with open_file(uri) as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
            n += len(chunk)
    return h.hexdigest(), n


def _has_lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _object_without_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise DuplicateKeyError(key)
        obj[key] = value
    return obj


class TruncatedStreamError(EOFError):
    pass


def _zstd_chunks(stream) -> Iterator[bytes]:
    """Decompressed chunks of at most READ_CHUNK bytes of a (multi-frame) zstd stream,
    however much one compressed byte expands to. zstandard's stream_reader ends quietly
    when the stream is cut inside a frame, so the frame headers are followed on the
    way in (_ZstdFrames) and a stream that does not end between frames raises."""
    import zstandard

    frames = _ZstdFrames(stream)
    reader = zstandard.ZstdDecompressor().stream_reader(
        frames, read_size=64 * 1024, read_across_frames=True
    )
    while chunk := reader.read(READ_CHUNK):
        yield chunk
    if not frames.between_frames():
        raise TruncatedStreamError("zstd stream ends inside a frame")


class _ZstdFrames:
    """Passes a zstd stream through while following its frame and block headers
    (RFC 8878, section 3.1), so that its end can be told to fall between frames.
    Headers are parsed; block contents are only counted past."""

    _MAGIC = b"\x28\xb5\x2f\xfd"

    def __init__(self, raw) -> None:
        self._raw = raw
        self._state, self._need, self._skip = "magic", 4, 0
        self._pending = b""
        self._checksum = False

    def read(self, n: int = -1) -> bytes:
        data = self._raw.read(n)
        self._follow(data)
        return data

    def between_frames(self) -> bool:
        return self._state in ("magic", "unknown") and not (self._pending or self._skip)

    def _follow(self, data: bytes) -> None:
        i = 0
        while i < len(data) and self._state != "unknown":
            if self._skip:
                k = min(self._skip, len(data) - i)
                self._skip -= k
                i += k
                continue
            take = min(self._need - len(self._pending), len(data) - i)
            self._pending += data[i : i + take]
            i += take
            if len(self._pending) == self._need:
                header, self._pending = self._pending, b""
                self._header(header)

    def _header(self, h: bytes) -> None:
        state = self._state
        if state == "magic":
            if h == self._MAGIC:
                self._state, self._need = "descriptor", 1
            elif h[0] & 0xF0 == 0x50 and h[1:] == b"\x2a\x4d\x18":
                self._state, self._need = "skippable", 4
            else:  # not zstd: the decompressor says so
                self._state = "unknown"
        elif state == "descriptor":
            d = h[0]
            single_segment = (d >> 5) & 1
            self._checksum = bool((d >> 2) & 1)
            rest = (0 if single_segment else 1) + (0, 1, 2, 4)[d & 3]
            rest += (single_segment, 2, 4, 8)[d >> 6]
            self._state, self._need = ("header", rest) if rest else ("block", 3)
        elif state == "header":
            self._state, self._need = "block", 3
        elif state == "block":
            v = int.from_bytes(h, "little")
            block_type, size = (v >> 1) & 3, v >> 3
            self._skip = 1 if block_type == 1 else size  # run-length: one byte
            if v & 1:  # last block of the frame
                self._state = "checksum" if self._checksum else "magic"
                self._need = 4
        elif state == "checksum":
            self._state, self._need = "magic", 4
        elif state == "skippable":
            self._skip = int.from_bytes(h, "little")
            self._state, self._need = "magic", 4


READ_CHUNK = 1 << 20
BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")


def decode_text_file(data: bytes) -> str:
    """The text of a .txt document, as the audit and `apply` read it: UTF-8 (a
    byte-order mark dropped), or UTF-16 where a byte-order mark says so. Raises
    UnicodeDecodeError otherwise: other encodings are not guessed."""
    if data.startswith(BOM):
        return data[len(BOM) :].decode("utf-8")
    if data.startswith(UTF16_BOMS) and not data.startswith(UTF32_BOMS):
        return data.decode("utf-16")  # the codec reads and drops the mark
    return data.decode("utf-8")


def _codec_name(error: UnicodeDecodeError) -> str:
    return "UTF-16" if error.encoding.lower().startswith("utf-16") else "UTF-8"


def _encoding_hint(data: bytes) -> str:
    """What a file that is not UTF-8 seems to be, for its dead letter's message."""
    head = data[:8192]
    if head.startswith(UTF32_BOMS):
        return "; it is UTF-32 (byte-order mark): convert it to UTF-8"
    if head.startswith(b"\x1f\x8b"):
        return "; it is gzip-compressed (only .jsonl/.json/.ndjson are read as .gz)"
    if head.startswith(b"\x28\xb5\x2f\xfd"):
        return "; it is zstd-compressed (only .jsonl/.json/.ndjson are read as .zst)"
    if b"\x00" in head:
        return "; it holds NUL bytes: binary data, not text"
    legacy = []
    for encoding in ("gbk", "big5"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        legacy.append(encoding.upper())
    if legacy:
        return (
            f"; it decodes as {' or '.join(legacy)}: convert it to UTF-8 "
            f"(iconv -f {legacy[0]} -t UTF-8)"
        )
    return ""


PARQUET_BATCH_ROWS = 256


@dataclass(frozen=True)
class OversizeLine:
    """A line longer than the limit: its length and first bytes; the rest was read
    past, never held."""

    length: int
    head: bytes


def bounded_lines(
    chunks: Iterator[bytes], limit: int, head_bytes: int = 8192
) -> Iterator[bytes | OversizeLine]:
    """Lines (with their newline) of a byte stream, holding at most `limit` bytes of
    one line plus one chunk: a longer line, or a stream with no newline at all,
    becomes one OversizeLine. A UTF-8 byte-order mark at the very start is dropped."""
    buffer = bytearray()
    skipping = 0  # > 0: inside an over-size line, bytes seen so far
    head = b""
    first = True
    for chunk in chunks:
        if first and chunk:
            if chunk.startswith(BOM):
                chunk = chunk[len(BOM) :]
            first = False
        start = 0
        while start < len(chunk):
            newline = chunk.find(b"\n", start)
            end = len(chunk) if newline < 0 else newline + 1
            piece = chunk[start:end]
            start = end
            if skipping:
                skipping += len(piece)
            elif len(buffer) + len(piece) > limit:
                head = bytes(buffer[:head_bytes])  # no copy of the whole buffer
                head += piece[: head_bytes - len(head)]
                skipping = len(buffer) + len(piece)
                buffer.clear()
            else:
                buffer += piece
            if newline < 0:
                continue
            if skipping:
                yield OversizeLine(skipping, head)
                skipping, head = 0, b""
            else:
                yield bytes(buffer)
                buffer.clear()
    if skipping:
        yield OversizeLine(skipping, head)
    elif buffer:
        yield bytes(buffer)


def _chunks(stream, size: int = READ_CHUNK) -> Iterator[bytes]:
    # read1: what one decompression step gives, so the data before a truncated
    # end of a gzip stream is yielded before the error.
    read = getattr(stream, "read1", stream.read)
    while chunk := read(size):
        yield chunk


def _read_at_most(stream, n: int) -> bytes:
    parts, got = [], 0
    while got < n and (chunk := stream.read(min(READ_CHUNK, n - got))):
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


MAX_META_DEPTH = 64


def _nesting_depth(value: Any, limit: int) -> int:
    """Depth of nested lists/dicts, counted without recursion; stops past `limit`."""
    depth = 0
    level = [value]
    while level and depth <= limit:
        children = []
        for v in level:
            if isinstance(v, dict):
                children.extend(v.values())
            elif isinstance(v, list | tuple):
                children.extend(v)
        if not children:
            break
        depth += 1
        level = children
    return depth


def decompressed_chunks(stream, name: str) -> Iterator[bytes]:
    """The bytes of a JSONL stream, decompressed by the file name's ending."""
    name = name.lower()
    if name.endswith(".gz"):
        return _chunks(gzip.GzipFile(fileobj=stream))
    if name.endswith(".zst"):
        return _zstd_chunks(stream)
    return _chunks(stream)


def jsonl_lines(
    stream, name: str, limit: float = math.inf
) -> Iterator[tuple[int | None, bytes | OversizeLine]]:
    """(record_index, line with its line ending) for every line of a JSONL stream,
    decompressed by the file name's ending (.gz, .zst); a line longer than `limit`
    bytes comes as an OversizeLine. A blank (whitespace-only) line is not a record: it
    comes with None and takes no index. A truncated or corrupt compressed stream
    raises (EOFError, OSError, zlib.error, zstandard errors) where it breaks, never
    ends quietly."""
    index = 0
    for line in bounded_lines(decompressed_chunks(stream, name), limit):
        if not isinstance(line, OversizeLine) and not line.strip():
            yield None, line
            continue
        yield index, line
        index += 1


# A line of indented (pretty-printed) JSON: a lone bracket or a `"key": value` member.
_INDENTED_JSON = re.compile(r'\s*(?:[\[\]{}],?\s*$|"[^"\n]*"\s*:)')


class RecordDecoder:
    """Turns one file into records, dead letters and its statistics."""

    def __init__(self, options: ReadOptions) -> None:
        self.options = options

    def read(self, input_file: InputFile) -> Iterator[Record | DeadLetter | FileStats]:
        stats = FileStats(source=input_file.uri, format=input_file.format)
        reader = {
            "jsonl": self._read_jsonl,
            "parquet": self._read_parquet,
            "avro": self._read_avro,
            "text": self._read_text,
        }[input_file.format]
        try:
            for item in reader(input_file, stats):
                if isinstance(item, DeadLetter):
                    stats.dead_letters += 1
                stats.records += 1
                yield item
        except OSError as e:
            # The file vanished or became unreadable: whatever was not read yet is
            # one dead letter, so the loss is visible and counted.
            stats.records += 1
            stats.dead_letters += 1
            yield DeadLetter(
                input_file.uri,
                stats.records - 1,
                "read",
                type(e).__name__,
                f"file could not be read past this point: {e}",
                "",
            )
        if not stats.file_sha256:
            try:
                stats.file_sha256, stats.bytes = file_digest(input_file.uri)
            except OSError:
                stats.file_sha256, stats.bytes = "", input_file.size
        yield stats

    def texts(self, input_file: InputFile, wanted: Iterable[int]) -> dict[int, str]:
        """The texts of the records `wanted` (record indexes) of one file, as the
        audit saw them; a record that is now a dead letter or missing is left out."""
        wanted = set(wanted)
        out: dict[int, str] = {}
        if not wanted:
            return out
        for item in self.read(input_file):
            if isinstance(item, Record) and item.record_index in wanted:
                out[item.record_index] = item.text
                if len(out) == len(wanted):
                    break
        return out

    def record(
        self, fields: Any, source: str, index: int, raw: bytes | str = ""
    ) -> Record | DeadLetter:
        """A record from any format (a mapping of fields), or its dead letter."""
        o = self.options

        def dead(error_type: str, message: str) -> DeadLetter:
            return DeadLetter(source, index, "read", error_type, message, _excerpt(raw))

        if isinstance(fields, list):
            return dead(
                "NotAnObject",
                "expected an object, got a JSON array: JSON Lines hold one object "
                "per line (jq -c '.[]' turns an array into lines)",
            )
        if not isinstance(fields, dict):
            return dead(
                "NotAnObject", f"expected an object, got {type(fields).__name__}"
            )
        if o.text_field not in fields:
            # The string fields it has, so that --text-field can be chosen.
            strings = [k for k, v in fields.items() if isinstance(v, str)][:5]
            hint = (
                f" (string fields: {mask_excerpt(', '.join(strings), 80)}; "
                "--text-field chooses)"
                if strings
                else ""
            )
            return dead("MissingTextField", f"no {o.text_field!r} field{hint}")
        text = fields[o.text_field]
        if isinstance(text, bytes):
            try:
                text = text.decode("utf-8")
            except UnicodeDecodeError as e:
                return dead(
                    "InvalidUTF8", f"{o.text_field!r} is not valid UTF-8: {e.reason}"
                )
        if not isinstance(text, str):
            return dead(
                "TextNotString",
                f"{o.text_field!r} is {type(text).__name__}, not a string",
            )
        if _has_lone_surrogate(text):
            return dead("InvalidUnicode", f"{o.text_field!r} holds unpaired surrogates")
        if (
            len(text) * 4 > o.max_record_bytes
            and len(text.encode("utf-8")) > o.max_record_bytes
        ):
            return DeadLetter(
                source,
                index,
                "size_limit",
                "RecordTooLarge",
                f"text is larger than max_record_bytes={o.max_record_bytes}; "
                "not scanned",
                _excerpt(text),
            )
        raw_id = fields.get(o.id_field)
        if raw_id is None:
            doc_id = f"{source}:{index}"
        elif isinstance(raw_id, str | int) and not isinstance(raw_id, bool):
            doc_id = str(raw_id)
        else:
            return dead("BadIdField", f"{o.id_field!r} is {type(raw_id).__name__}")
        label = fields.get(o.label_field)
        if label is not None and not isinstance(label, str):
            label = json.dumps(label, ensure_ascii=False, sort_keys=True)
        source_name = None
        if o.source_field:
            value = fields.get(o.source_field)
            source_name = None if value is None else str(value)
        skip = {o.text_field, o.id_field, o.label_field, o.source_field}
        meta = {k: v for k, v in fields.items() if k not in skip}
        # Deep structures make Beam's pickler recurse past Python's limit and fail
        # the whole job; JSON lines deeper than json's own limit never get here.
        if _nesting_depth(meta, MAX_META_DEPTH) > MAX_META_DEPTH:
            return dead(
                "MetadataTooDeep",
                f"metadata nested deeper than {MAX_META_DEPTH} levels",
            )
        return Record(doc_id, source, index, text, label, source_name, meta)

    def _read_jsonl(
        self, f: InputFile, stats: FileStats
    ) -> Iterator[Record | DeadLetter]:
        with FileSystems.open(
            f.uri, compression_type=CompressionTypes.UNCOMPRESSED
        ) as raw:
            hashing = _HashingReader(raw)
            stream = io.BufferedReader(hashing, buffer_size=1 << 20)
            index = 0  # the next record's index
            limit = self.options.max_record_bytes
            try:
                for line_index, line in jsonl_lines(stream, f.uri, limit):
                    if line_index is None:
                        continue
                    if isinstance(line, OversizeLine):
                        yield self._oversize(f.uri, line_index, "line", line)
                    else:
                        yield self._decode_json_line(line, f.uri, line_index)
                    index = line_index + 1
            except (EOFError, OSError, zlib.error) as e:
                # Truncated or corrupt compressed stream: the rest is one dead letter.
                yield DeadLetter(
                    f.uri,
                    index,
                    "read",
                    "CorruptCompressedStream",
                    f"stream ends or breaks here ({type(e).__name__}: {e}); "
                    "the rest of the file could not be read",
                    "",
                )
            except Exception as e:  # zstandard.ZstdError and friends
                if type(e).__module__.startswith("zstandard"):
                    yield DeadLetter(
                        f.uri,
                        index,
                        "read",
                        "CorruptCompressedStream",
                        f"stream breaks here ({e}); the rest could not be read",
                        "",
                    )
                else:
                    raise
            hashing.drain()
            stats.file_sha256 = hashing.sha256.hexdigest()
            stats.bytes = hashing.bytes

    def _oversize(
        self, source: str, index: int, what: str, line: OversizeLine
    ) -> DeadLetter:
        return DeadLetter(
            source,
            index,
            "size_limit",
            "RecordTooLarge",
            f"{what} is {line.length} bytes, above max_record_bytes="
            f"{self.options.max_record_bytes}; not scanned",
            _excerpt(line.head),
        )

    def _decode_json_line(
        self, line: bytes, source: str, index: int
    ) -> Record | DeadLetter:
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as e:
            return DeadLetter(
                source,
                index,
                "read",
                "InvalidUTF8",
                f"line is not valid UTF-8 ({e.reason} at byte {e.start})"
                + (
                    "; the file may be UTF-16 or UTF-32 (NUL bytes, a byte-order "
                    "mark): JSON Lines must be UTF-8"
                    if b"\x00" in line or line.startswith(UTF16_BOMS)
                    else ""
                ),
                _excerpt(line),
            )
        try:
            fields = json.loads(text, object_pairs_hook=_object_without_duplicate_keys)
        except DuplicateKeyError as e:
            # Parsers disagree on which value wins; an auditor must not pick one.
            return DeadLetter(
                source,
                index,
                "read",
                "DuplicateKey",
                f"key {mask_excerpt(repr(e.key), 80)} appears twice in one object",
                _excerpt(line),
            )
        except RecursionError:
            return DeadLetter(
                source,
                index,
                "read",
                "JSONTooDeep",
                "JSON nesting too deep",
                _excerpt(line),
            )
        except ValueError as e:
            indented = _INDENTED_JSON.match(text) is not None
            return DeadLetter(
                source,
                index,
                "read",
                "JSONDecodeError",
                f"not valid JSON: {e}"
                + (
                    "; the file looks like indented JSON: JSON Lines hold one "
                    "object per line (jq -c)"
                    if indented
                    else ""
                ),
                _excerpt(line),
            )
        return self.record(fields, source, index, line)

    def _read_parquet(
        self, f: InputFile, stats: FileStats
    ) -> Iterator[Record | DeadLetter]:
        import pyarrow.parquet as pq

        with FileSystems.open(
            f.uri, compression_type=CompressionTypes.UNCOMPRESSED
        ) as raw:
            try:
                parquet = pq.ParquetFile(raw)
            except Exception as e:  # pyarrow raises ArrowInvalid/OSError for bad files
                yield DeadLetter(
                    f.uri,
                    0,
                    "read",
                    "UnreadableParquet",
                    f"not a readable Parquet file: {_masked(e)}",
                    "",
                )
                return
            index = 0
            for group in range(parquet.num_row_groups):
                n_rows = parquet.metadata.row_group(group).num_rows
                # A batch of rows at a time: a row group can hold gigabytes.
                batches = parquet.iter_batches(
                    batch_size=PARQUET_BATCH_ROWS, row_groups=[group]
                )
                done = 0
                while True:
                    try:
                        batch = next(batches, None)
                    except Exception as e:  # the rest of a corrupt row group is dead
                        message = (
                            f"row group {group} could not be decoded: {_masked(e)}"
                        )
                        for _ in range(n_rows - done):
                            yield DeadLetter(
                                f.uri, index, "read", "CorruptRowGroup", message, ""
                            )
                            index += 1
                        break
                    if batch is None:
                        break
                    for row in batch.to_pylist():
                        yield self.record(row, f.uri, index, _row_excerpt(row))
                        index += 1
                        done += 1

    def _read_avro(
        self, f: InputFile, stats: FileStats
    ) -> Iterator[Record | DeadLetter]:
        import fastavro

        with FileSystems.open(
            f.uri, compression_type=CompressionTypes.UNCOMPRESSED
        ) as raw:
            index = 0
            try:
                for row in fastavro.reader(raw):
                    yield self.record(row, f.uri, index, _row_excerpt(row))
                    index += 1
            except Exception as e:  # fastavro raises many types for corrupt blocks
                yield DeadLetter(
                    f.uri,
                    index,
                    "read",
                    "CorruptAvro",
                    f"Avro data breaks here ({type(e).__name__}: {_masked(e)}); "
                    "the rest of the file could not be read",
                    "",
                )

    def _read_text(
        self, f: InputFile, stats: FileStats
    ) -> Iterator[Record | DeadLetter]:
        limit = self.options.max_record_bytes
        with FileSystems.open(
            f.uri, compression_type=CompressionTypes.UNCOMPRESSED
        ) as raw:
            hashing = _HashingReader(raw)
            data = _read_at_most(hashing, limit + 1)
            hashing.drain()  # hashed and counted, never held
        stats.file_sha256 = hashing.sha256.hexdigest()
        stats.bytes = hashing.bytes
        if len(data) > limit:
            yield self._oversize(f.uri, 0, "file", OversizeLine(hashing.bytes, data))
            return
        try:
            text = decode_text_file(data)
        except UnicodeDecodeError as e:
            yield DeadLetter(
                f.uri,
                0,
                "read",
                "InvalidUTF8",
                f"file is not valid {_codec_name(e)} ({e.reason} at byte {e.start})"
                + _encoding_hint(data),
                _excerpt(data),
            )
            return
        item = self.record({self.options.text_field: text}, f.uri, 0, text)
        if isinstance(item, Record) and item.source_name is None:
            item = replace(item, source_name=text_source_name(f, self.options))
        yield item


def text_source_name(f: InputFile, options: ReadOptions) -> str | None:
    """A text file is one document, so it cannot be its own source: the source is its
    sidecar's source_id, else its directory (with text_source "directory")."""
    if f.provenance.get("source_id"):
        return str(f.provenance["source_id"])
    if options.text_source == "directory":
        return f.uri.rsplit("/", 1)[0] if "/" in f.uri else f.uri
    return None


def _row_excerpt(row: Any) -> str:
    try:
        return json.dumps(row, ensure_ascii=False, default=str)[: EXCERPT_CHARS * 8]
    except Exception:
        return ""
