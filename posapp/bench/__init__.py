"""Benchmarks: each prints our figure beside a raw baseline measured in the same run, and the ratio."""
