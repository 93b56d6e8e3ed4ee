"""A crash hook for the recovery tests, kept out of the installed package.

A test puts this folder on ``PYTHONPATH`` with ``NEWSCORPUS_HOLD_AT=publish:after:<table>`` and
``NEWSCORPUS_HOLD_FILE=<path>``. Python imports ``sitecustomize`` at start-up, so the publish job
then wraps ``publish_table``: right after committing ``<table>`` the process writes its pid to the
file and stops itself (SIGSTOP). The test waits for the file and kills the whole run with
SIGKILL, as a power cut would. Without the variables nothing is imported or changed.
"""

import os
import signal

_POINT = os.environ.get("NEWSCORPUS_HOLD_AT", "")

if _POINT.startswith("publish:after:"):
    from newscorpus.tables import publish as _publish

    _commit_one = _publish.publish_table

    def _publish_table_then_hold(uri, table, *args, **kwargs):
        done = _commit_one(uri, table, *args, **kwargs)
        if f"publish:after:{table}" == _POINT:
            marker = os.environ.get("NEWSCORPUS_HOLD_FILE")
            if marker:
                with open(marker, "w", encoding="utf-8") as handle:
                    handle.write(f"{os.getpid()}\n")
            os.kill(os.getpid(), signal.SIGSTOP)
        return done

    _publish.publish_table = _publish_table_then_hold
