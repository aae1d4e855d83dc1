"""The benchmark behind ``scripts/bench``: fleet against a bare-aiohttp ceiling.

The simulated fleet runs in its own process, pinned to a core of its own where
the machine has two. Every client runs in a fresh subprocess, so its CPU time
and peak RSS are its own. See ``docs/benchmarks.md`` for the numbers.
"""
