"""Helpers for the browser tests and the benchmarks: start the app on a free port and stop it cleanly.
Shipped with the package so ``bench/`` and ``tests/`` import one copy; the app itself never imports it.
"""
