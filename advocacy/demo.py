"""Demo data: each app contributes a seeding step, run in order by `seed_demo`.

Steps must be idempotent: `make run` calls `seed_demo` every time it starts.
"""

from collections.abc import Callable

STEPS: list[tuple[int, str, Callable[[dict], None]]] = []


def step(order: int, name: str):
    """Register `func(context)` as a seeding step; `context` carries what earlier steps made."""

    def decorator(func):
        STEPS.append((order, name, func))
        return func

    return decorator
