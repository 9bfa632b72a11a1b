"""A write batch gathers follow-up work and does it once, when the batch ends, and only
when what it wrote is kept (config/write_batches.py)."""

import pytest

from config.write_batches import current_write_batch, write_batch


class Tally:
    def __init__(self):
        self.finished = 0

    def finish(self):
        self.finished += 1


def gather():
    return current_write_batch().gathering("tally", Tally)


def test_the_work_gathered_is_done_once_when_the_batch_ends():
    with write_batch():
        tally = gather()
        assert gather() is tally
        assert tally.finished == 0
    assert tally.finished == 1
    assert current_write_batch() is None


def test_a_batch_whose_writes_are_rolled_back_does_nothing():
    with write_batch(kept=False):
        tally = gather()
    assert tally.finished == 0


def test_a_batch_that_fails_does_nothing():
    with pytest.raises(ValueError), write_batch():
        tally = gather()
        raise ValueError("the import failed")
    assert tally.finished == 0
    assert current_write_batch() is None


def test_a_batch_inside_another_joins_it_and_the_outer_one_finishes():
    with write_batch():
        with write_batch():
            tally = gather()
        assert tally.finished == 0
        assert gather() is tally
    assert tally.finished == 1
