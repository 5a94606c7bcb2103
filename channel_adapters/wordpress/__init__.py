"""WordPress: the release as a post on the office's own website (REST API)."""
