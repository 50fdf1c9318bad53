"""The job `make cluster-check` schedules: it counts its runs in the shared cache, so a second run shows."""

from django.core.cache import cache


def tick(name: str) -> int:
    key = f"cluster-check:{name}"
    cache.add(key, 0, 3600)
    return cache.incr(key)
