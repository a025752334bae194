#!/usr/bin/env python3
"""Exercise 25, question 1 (seed 001): a task that main awaits, and the same without the await.

Run: python3 python/ex25_prodcons/no_await.py [--scale 0.01]

The lecture's program is not in the seed; this is its shape: main starts a task that works
for 3 s, does 1 s of its own work, and awaits the task. Times are in seed seconds.
"""
import asyncio
import gc
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # python/, for kata
import kata  # noqa: E402


async def three_seconds():
    print(f"task starts at {kata.now()}")
    try:
        await asyncio.sleep(3 * kata.scale)
    except asyncio.CancelledError:
        print(f"task cancelled at {kata.now()}")
        raise
    print(f"task finishes at {kata.now()}")
    return 3


async def main(awaited):
    task = asyncio.create_task(three_seconds())
    await asyncio.sleep(1 * kata.scale)  # main's own work
    print(f"main's own work done at {kata.now()}")
    if awaited:
        print(f"main got {await task} at {kata.now()}")
    print(f"main returns at {kata.now()}")


def run(title, awaited):
    kata.run(title, main(awaited))
    print(f"asyncio.run returned at {kata.now()}")


def closed_by_hand():
    # Without asyncio.run: run main on a loop, then close the loop with the task pending.
    # Nothing cancels the task; when it is garbage-collected, its finaliser reports it.
    kata.section("the await removed, the loop closed by hand")
    loop = asyncio.new_event_loop()
    loop.run_until_complete(main(False))
    loop.close()
    print(f"loop closed at {kata.now()}; no message yet")
    sys.stdout.flush()
    del loop
    gc.collect()
    print("after gc.collect()")


if __name__ == "__main__":
    kata.options()
    run("main awaits the task", True)
    run("the await removed", False)
    closed_by_hand()
