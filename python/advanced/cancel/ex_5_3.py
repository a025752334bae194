#!/usr/bin/env python3
"""advanced/cancel (seed 002, ex_5_3): task.cancel() and CancelledError.

Run: python3 python/advanced/cancel/ex_5_3.py [--scale 0.01]

The seed's program, then: a cancel with a message and a finally block; a coroutine that
swallows CancelledError; and one that computes without awaiting, which cannot be cancelled
until its next await. Times are in seed seconds, to the nearest half (ms where noted).
"""
import argparse
import asyncio
import sys
import time

SCALE = 1.0
START = 0.0


def now():
    return f"{round((time.perf_counter() - START) / SCALE * 2) / 2:g} s"


async def cancel_me():
    await asyncio.sleep(1 * SCALE)


async def seed_main():
    task = asyncio.create_task(cancel_me())
    await asyncio.sleep(0.01 * SCALE)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("main(): cancel_me is cancelled now")


async def cancel_me_cleanly():
    try:
        print("cancel_me: sleeping 1 s")
        await asyncio.sleep(1 * SCALE)
    except asyncio.CancelledError as e:
        print(f"cancel_me: CancelledError{e.args} raised at the await, at {now()}")
        raise
    finally:
        print("cancel_me: finally runs (the cleanup)")


async def with_message():
    task = asyncio.create_task(cancel_me_cleanly())
    await asyncio.sleep(0.01 * SCALE)
    print(f"cancel returns {task.cancel('user pressed stop')}: only a request so far")
    try:
        await task
    except asyncio.CancelledError as e:
        print(f"main: awaiting the task raised CancelledError{e.args}; cancelled() is {task.cancelled()}")


async def stubborn():
    try:
        await asyncio.sleep(1 * SCALE)
    except asyncio.CancelledError:
        print(f"stubborn: caught CancelledError at {now()} and carries on")
    await asyncio.sleep(1 * SCALE)
    return "finished anyway"


async def swallowed():
    task = asyncio.create_task(stubborn())
    await asyncio.sleep(0.01 * SCALE)
    task.cancel()
    print(f"main: awaiting gives {await task!r} at {now()}; cancelled() is {task.cancelled()}")


async def busy():
    time.sleep(1 * SCALE)  # computing, no await: nothing else runs, nothing can interrupt
    print(f"busy: computed until {now()}, now awaits")
    await asyncio.sleep(1 * SCALE)
    print("busy: never printed")


async def no_await_point():
    task = asyncio.create_task(busy())
    await asyncio.sleep(0)  # busy starts, and holds the loop for 1 s
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print(f"main: busy was cancelled at its first await, at {now()}")


def run(title, main):
    global START
    print(f"== {title}")
    sys.stdout.flush()
    START = time.perf_counter()
    asyncio.run(main())
    sys.stdout.flush()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0, help="seconds per seed second")
    SCALE = parser.parse_args().scale
    run("the seed's ex_5_3", seed_main)
    run("cancel('user pressed stop') and a finally block", with_message)
    run("a coroutine that swallows CancelledError", swallowed)
    run("a coroutine that computes without awaiting", no_await_point)
