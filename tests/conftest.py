"""Shared test set-up: opt in to PTB's timedelta behaviour so its deprecation warning is quiet."""

import os

# PTB 22 warns when RetryAfter.retry_after is read as seconds; opt in to the future behaviour
# (a timedelta) before telegram is imported anywhere, since warnings fail the tests.
os.environ.setdefault("PTB_TIMEDELTA", "1")
