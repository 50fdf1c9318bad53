def ready() -> None:
    """Register navigation items and panels (called from LearningConfig.ready)."""
