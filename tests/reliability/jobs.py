"""A reminder job slow enough to be killed half-way, for the real-cluster test (test_job_cluster.py).

It works like the site's own reminder jobs: it loads ids, calls ``notify`` with a stable key per
person, and is therefore safe to run again after a worker dies.
"""

import os
import time
from pathlib import Path

from django.contrib.auth import get_user_model

from organisation.notifications import notify


def remind_slowly(user_ids: list[int], key: str, pace: float, pid_file: str) -> int:
    """Notify each person once under ``key``, pausing ``pace`` seconds after each; return how many were new."""
    Path(pid_file).write_text(str(os.getpid()))
    sent = 0
    for user in get_user_model().objects.filter(pk__in=user_ids).order_by("pk"):
        sent += notify(user=user, key=key, kind="reliability", title="请完成本周学法任务")
        time.sleep(pace)
    return sent
