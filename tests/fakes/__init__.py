"""Real local HTTP servers speaking partner APIs' documented shapes, for tests."""
