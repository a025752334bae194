#!/usr/bin/env python3
"""Part 1 (seed 000): awaiting two coroutines one after the other, then as tasks.

Run: python3 python/part1_concurrency/sum.py [--scale 0.01]

--scale shrinks every sleep (1 = the seed's real seconds); times are printed in seed
seconds, so the output is the same at any scale.
"""
import asyncio
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # python/, for kata
import kata  # noqa: E402


async def task_completer(delay, task):
    print(f"number {task} is loading...")
    await asyncio.sleep(delay * kata.scale)
    print(f"...number {task} has loaded")
    return task


async def awaited_in_turn():
    # The seed's main: making a coroutine object runs nothing; each await runs one to its end.
    p1 = task_completer(1, 4)
    p2 = task_completer(2, 8)
    result1 = await p1
    result2 = await p2
    print(result1 + result2)


async def as_tasks():
    # The exercise's answer: create_task schedules both at once; awaiting only collects.
    t1 = asyncio.create_task(task_completer(1, 4))
    t2 = asyncio.create_task(task_completer(2, 8))
    print(await t1 + await t2)


async def coroutine_never_awaited():
    # A coroutine object nobody awaits never runs at all: Python warns when it is destroyed.
    p1 = task_completer(1, 4)
    del p1


def timed(title, main):
    kata.run(title, main)
    print(f"took {kata.now()}")


if __name__ == "__main__":
    kata.options()
    timed("awaited one after the other (the seed)", awaited_in_turn)
    timed("create_task first, then await", as_tasks)
    timed("a coroutine never awaited", coroutine_never_awaited)
