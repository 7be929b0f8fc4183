"""Collectors: each reads one network's API and hands batches of posts to reach.ingestion."""


class CollectorError(Exception):
    """A run could not complete; the message is stored on the collector's state."""
