#!/usr/bin/env python3
"""Exercise 25, question 1 (seed 001): a task that main awaits, and the same without the await.

Run: python3 python/ex25_prodcons/no_await.py [--scale 0.01]

The lecture's program is not in the seed; this is its shape: main starts a task that works
for 3 s, does 1 s of its own work, and awaits the task. Times are in seed seconds.
"""
import argparse
import asyncio
import gc
import sys
import time

SCALE = 1.0
START = 0.0


def now():
    return f"{round((time.perf_counter() - START) / SCALE * 2) / 2:g} s"


async def three_seconds():
    print(f"task starts at {now()}")
    try:
        await asyncio.sleep(3 * SCALE)
    except asyncio.CancelledError:
        print(f"task cancelled at {now()}")
        raise
    print(f"task finishes at {now()}")
    return 3


async def main(awaited):
    task = asyncio.create_task(three_seconds())
    await asyncio.sleep(1 * SCALE)  # main's own work
    print(f"main's own work done at {now()}")
    if awaited:
        print(f"main got {await task} at {now()}")
    print(f"main returns at {now()}")


def run(title, awaited):
    global START
    print(f"== {title}")
    sys.stdout.flush()
    START = time.perf_counter()
    asyncio.run(main(awaited))
    print(f"asyncio.run returned at {now()}")
    sys.stdout.flush()


def closed_by_hand():
    # Without asyncio.run: run main on a loop, then close the loop with the task pending.
    # Nothing cancels the task; when it is garbage-collected, its finaliser reports it.
    global START
    print("== the await removed, the loop closed by hand")
    sys.stdout.flush()
    START = time.perf_counter()
    loop = asyncio.new_event_loop()
    loop.run_until_complete(main(False))
    loop.close()
    print(f"loop closed at {now()}; no message yet")
    sys.stdout.flush()
    del loop
    gc.collect()
    print("after gc.collect()")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0, help="seconds per seed second")
    SCALE = parser.parse_args().scale
    run("main awaits the task", True)
    run("the await removed", False)
    closed_by_hand()
