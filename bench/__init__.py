"""Benchmarks of Empreinte at archive and feature-film scale (``make bench``).

``python -m bench.run`` generates synthetic productions into ``bench/work/`` (git-ignored, seeded),
runs each benchmark in its own subprocess (peak RSS from ``resource.getrusage``), prints each
figure with its target and writes ``bench/results.json``. See docs/performance.md.
"""
