#!/usr/bin/env python3
"""advanced/cancel (seed 002, ex_5_3): task.cancel() and CancelledError.

Run: python3 python/advanced/cancel/ex_5_3.py [--scale 0.01]

The seed's program, then: a cancel with a message and a finally block; a coroutine that
swallows CancelledError; and one that computes without awaiting, which cannot be cancelled
until its next await. Times are in seed seconds, to the nearest half (ms where noted).
"""
import asyncio
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2]))  # python/, for kata
import kata  # noqa: E402


async def cancel_me():
    await asyncio.sleep(1 * kata.scale)


async def seed_main():
    task = asyncio.create_task(cancel_me())
    await asyncio.sleep(0.01 * kata.scale)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("main(): cancel_me is cancelled now")


async def cancel_me_cleanly():
    try:
        print("cancel_me: sleeping 1 s")
        await asyncio.sleep(1 * kata.scale)
    except asyncio.CancelledError as e:
        print(f"cancel_me: CancelledError{e.args} raised at the await, at {kata.now()}")
        raise
    finally:
        print("cancel_me: finally runs (the cleanup)")


async def with_message():
    task = asyncio.create_task(cancel_me_cleanly())
    await asyncio.sleep(0.01 * kata.scale)
    print(f"cancel returns {task.cancel('user pressed stop')}: only a request so far")
    try:
        await task
    except asyncio.CancelledError as e:
        print(f"main: awaiting the task raised CancelledError{e.args}; cancelled() is {task.cancelled()}")


async def stubborn():
    try:
        await asyncio.sleep(1 * kata.scale)
    except asyncio.CancelledError:
        print(f"stubborn: caught CancelledError at {kata.now()} and carries on")
    await asyncio.sleep(1 * kata.scale)
    return "finished anyway"


async def swallowed():
    task = asyncio.create_task(stubborn())
    await asyncio.sleep(0.01 * kata.scale)
    task.cancel()
    print(f"main: awaiting gives {await task!r} at {kata.now()}; cancelled() is {task.cancelled()}")


async def busy():
    time.sleep(1 * kata.scale)  # computing, no await: nothing else runs, nothing can interrupt
    print(f"busy: computed until {kata.now()}, now awaits")
    await asyncio.sleep(1 * kata.scale)
    print("busy: never printed")


async def no_await_point():
    task = asyncio.create_task(busy())
    await asyncio.sleep(0)  # busy starts, and holds the loop for 1 s
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print(f"main: busy was cancelled at its first await, at {kata.now()}")


if __name__ == "__main__":
    kata.options()
    kata.run("the seed's ex_5_3", seed_main)
    kata.run("cancel('user pressed stop') and a finally block", with_message)
    kata.run("a coroutine that swallows CancelledError", swallowed)
    kata.run("a coroutine that computes without awaiting", no_await_point)
