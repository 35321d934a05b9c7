"""The CBRN scorer looks an anchor's frames up by sentence and by position instead of
scanning every frame of the document; the lookups answer as the scans did."""

from corpusgate.detectors.cbrn.matcher import Hit
from corpusgate.detectors.cbrn.scorer import _Document
from hypothesis import given, settings
from hypothesis import strategies as st

frames = st.lists(
    st.tuples(
        st.integers(0, 5),
        st.sampled_from("abc"),
        st.integers(0, 500),
        st.integers(1, 30),
    ),
    max_size=40,
)


def document(frame_specs) -> _Document:
    return _Document(
        text="x" * 600,
        lexicon=None,
        starts=[0, 100, 200, 300, 400, 500],
        frames=[(i, f, Hit(s, s + n, 0)) for i, f, s, n in frame_specs],
        modes=[],
        structure=[],
        defence=set(),
        instruction_sentences=set(),
        computing=False,
        genre=[],
        genre_penalty=0.0,
        window=50,
    )


@settings(max_examples=300)
@given(frames, st.integers(-50, 600), st.integers(0, 120))
def test_frames_near_match_a_scan(frame_specs, lo, width):
    doc = document(frame_specs)
    hi = lo + width
    assert doc._frames_near(lo, hi) == [
        (f, h) for _, f, h in doc.frames if h.end >= lo and h.start <= hi
    ]


@settings(max_examples=200)
@given(frames, st.integers(0, 5))
def test_frames_of_a_sentence_match_a_scan(frame_specs, s):
    doc = document(frame_specs)
    assert doc._families.get(s, frozenset()) == {f for i, f, _ in doc.frames if i == s}
    assert doc._frame_hits.get(s, []) == [h for i, _, h in doc.frames if i == s]
