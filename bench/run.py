"""Run the load and scale benchmarks: every bench/bench_*.py module's `run(args)`.

Each benchmark prints its figures as ratios to a baseline measured in the same run, on
the same machine and server configuration. Benchmarks use the machine's PostgreSQL and
Redis (they start nothing themselves; `.ci/run` shows how to start them).

    python bench/run.py                 # every benchmark
    python bench/run.py import redirect # only those whose name contains a word given
"""

import argparse
import importlib.util
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advocacy.settings")
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/advocacy_bench")
os.environ.setdefault("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("only", nargs="*", help="run only benchmarks whose name contains one of these words")
    parser.add_argument("--quick", action="store_true", help="smaller data sets, to check the scripts themselves")
    args = parser.parse_args()
    modules = sorted(HERE.glob("bench_*.py"))
    if args.only:
        modules = [m for m in modules if any(word in m.stem for word in args.only)]
    if not modules:
        print("no benchmark matches")
        return 1
    for path in modules:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"\n### {path.stem}: {(module.__doc__ or '').strip().splitlines()[0]}")
        started = time.perf_counter()
        module.run(args)
        print(f"### {path.stem} took {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
