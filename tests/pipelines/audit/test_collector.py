"""The garbage collector's settings during an audit run in this process."""

import gc

from corpusgate.pipelines.audit import collector


def test_tuned_raises_the_young_threshold_and_gives_everything_back():
    before = gc.get_threshold()
    with collector.tuned():
        assert gc.get_threshold()[0] == max(before[0], collector.YOUNG_THRESHOLD)
        assert gc.get_threshold()[1:] == before[1:]
        collector.freeze_loaded()
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_tune_leaves_a_disabled_threshold_alone():
    before = gc.get_threshold()
    try:
        gc.set_threshold(0)
        collector.tune()
        assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*before)
