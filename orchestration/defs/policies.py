"""Run policies shared by the assets that touch files: one place, so they change together."""

import dagster as dg

# Files on disk fail transiently (a network share hiccups, a disk fills and is cleared). Those assets are
# idempotent, so a retry never doubles anything; failures that retrying cannot fix say allow_retries=False.
FILE_IO_RETRIES = dg.RetryPolicy(max_retries=2, delay=10, backoff=dg.Backoff.EXPONENTIAL)
