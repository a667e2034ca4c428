"""A local single-node Ray cluster for the sweep tests (run as a script by test_sweeps.py).

Prints the GCS address on the first line of stdout, then keeps the cluster up until stdin
closes, and shuts it down.
"""

from __future__ import annotations

import sys

import ray

if __name__ == "__main__":
    ray.init(num_cpus=1, include_dashboard=False, logging_level="WARNING", log_to_driver=False)
    sys.stdout.write(ray.get_runtime_context().gcs_address + "\n")
    sys.stdout.flush()
    sys.stdin.read()
    ray.shutdown()
