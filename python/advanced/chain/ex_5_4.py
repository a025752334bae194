#!/usr/bin/env python3
"""advanced/chain (seed 002, ex_5_4): done callbacks and an Event chain main -> task1 ->
callback1 -> task2 -> callback2 -> main.

Run: python3 python/advanced/chain/ex_5_4.py [--scale 0.01]

The seed's chain with a time on each line (seed seconds, to the nearest half), then the
same chain with a task1 that raises: the callback's exception is logged, the event is never
set, and main would wait for ever (here it gives up after 3 s).
"""
import asyncio
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2]))  # python/, for kata
import kata  # noqa: E402

FAIL = False
event = None


async def task1():
    print(f">task1() at {kata.now()}")
    await asyncio.sleep(1 * kata.scale)
    if FAIL:
        raise Exception("task1 failed")
    return 1


async def task2(data):
    print(f">task2() got {data} at {kata.now()}")
    await asyncio.sleep(1 * kata.scale)


def callback2(task):
    print(f"callback2 at {kata.now()}")
    event.set()


def callback1(task):
    print(f"callback1 at {kata.now()}")
    result = task.result()  # raises task1's exception, if it failed
    second_task = asyncio.create_task(task2(result))
    second_task.add_done_callback(callback2)


async def main():
    global event
    event = asyncio.Event()
    first_task = asyncio.create_task(task1())
    first_task.add_done_callback(callback1)
    try:
        await asyncio.wait_for(event.wait(), 3 * kata.scale)
    except TimeoutError:
        print(f"Main: still waiting at {kata.now()}: nobody will set the event")
        return
    print(f"Main: chain is done at {kata.now()}")


def run(title, fail):
    global FAIL
    FAIL = fail
    kata.run(title, main)


if __name__ == "__main__":
    kata.options()
    run("the seed's ex_5_4", False)
    run("task1 raises", True)
