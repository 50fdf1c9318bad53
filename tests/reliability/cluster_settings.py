"""Settings for a real ``qcluster`` started by test_job_cluster.py: the site's own settings with the
task timeout and retry taken from the environment, so a killed task comes back within seconds.
The database is the test's (``SQLITE_PATH`` or ``DATABASE_URL``, set by the test)."""

import os

from config.settings.base import *  # noqa: F403
from config.settings.base import Q_CLUSTER

Q_CLUSTER = {
    **Q_CLUSTER,
    "workers": 1,
    "timeout": int(os.environ["TEST_Q_TIMEOUT"]),
    "retry": int(os.environ["TEST_Q_RETRY"]),
    "poll": 0.2,
}
