"""Benchmarks, run by hand with `bash bench/run.sh`; not part of the test suite."""
