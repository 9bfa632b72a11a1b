"""The served application tunes garbage collection once it is loaded."""

import gc
import importlib

from config import gc_tuning


def test_the_wsgi_application_freezes_what_it_loaded_and_collects_less_often():
    before = gc.get_threshold()
    try:
        import config.wsgi

        importlib.reload(config.wsgi)
        assert gc.get_threshold() == gc_tuning.THRESHOLDS
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
