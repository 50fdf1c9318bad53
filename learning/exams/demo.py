def seed(stdout) -> None:
    """Demo content for this part of learning; filled in by its issue."""
