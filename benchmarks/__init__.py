"""Throughput and latency benchmarks for codeaug's sandbox, against unsandboxed peers.

Not a test suite: nothing here asserts speed. ``python -m benchmarks humaneval`` measures,
in one run on one machine, how fast codeaug verifies HumanEval's 164 canonical solutions
in its Docker sandbox and how fast the same 164 programs run natively (one ``python3``
process each), then prints a table and writes ``benchmarks/RESULTS.md`` and
``benchmarks/humaneval.png``. See ``benchmarks/README.md`` for what each figure means.

Every measured system lives in :mod:`benchmarks.systems` behind one small interface
(:class:`benchmarks.systems.System`), so more peers can be added as more modules.
"""
