"""Benchmarks: the engine side by side with the alternatives (``make bench``).

Run ``python -m benchmarks.run`` (``--quick`` skips the province scale for the slow
alternatives). Each (scale, method) runs in its own subprocess so that peak memory is per
method; an independent checker (:mod:`benchmarks.checker`) counts the hard rules each plan
breaks. Timings are printed and written to ``benchmarks/results.md``, never asserted.
"""
