"""Great Expectations suites, kept as code, and the runner that validates DataFrames read from DuckDB."""
