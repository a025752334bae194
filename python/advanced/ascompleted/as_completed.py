#!/usr/bin/env python3
"""advanced/ascompleted (seed 003): waiting in a fixed order against as_completed.

Run: python3 python/advanced/ascompleted/as_completed.py [--scale 0.01]

Three tasks, a() (3 s) and b("b1"), b("b2") (1 s each), awaited in the order they were
listed, then taken with as_completed; then a loop that breaks after the first result, and
a task nobody keeps a reference to. Times are in seed seconds, to the nearest half.
"""
import asyncio
import gc
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2]))  # python/, for kata
import kata  # noqa: E402


async def a():
    await asyncio.sleep(3 * kata.scale)
    print(f"a finishes at {kata.now()}")
    return "a"


async def b(name):
    await asyncio.sleep(1 * kata.scale)
    print(f"{name} finishes at {kata.now()}")
    return name


def start():
    return [asyncio.create_task(a()), asyncio.create_task(b("b1")), asyncio.create_task(b("b2"))]


async def listed_order():
    results = []
    for t in start():
        results.append(await t)
        print(f"main sees {results[-1]} at {kata.now()}")
    return results


async def completed_order():
    results = []
    for f in asyncio.as_completed(start()):
        results.append(await f)
        print(f"main sees {results[-1]} at {kata.now()}")
    return results


async def break_early():
    for f in asyncio.as_completed(start()):
        print(f"main takes {await f} at {kata.now()} and breaks")
        break
    print(f"tasks still running after the break: {len(asyncio.all_tasks()) - 1}")
    await asyncio.sleep(2.5 * kata.scale)  # main lives on; the other tasks were never told
    return "main done"


async def a_fails():
    await asyncio.sleep(3 * kata.scale)
    print(f"a raises at {kata.now()}")
    raise Exception("a failed")


async def break_then_fail():
    tasks = [asyncio.create_task(a_fails()), asyncio.create_task(b("b1")), asyncio.create_task(b("b2"))]
    for f in asyncio.as_completed(tasks):
        print(f"main takes {await f} at {kata.now()} and breaks")
        break
    del tasks, f
    await asyncio.sleep(2.5 * kata.scale)
    gc.collect()
    return "main done"


async def waits_for_ever():
    await asyncio.get_running_loop().create_future()  # a future nothing else refers to


async def unreferenced():
    asyncio.create_task(waits_for_ever())  # the task object is not kept
    await asyncio.sleep(0)
    print(f"tasks besides main before gc: {len(asyncio.all_tasks()) - 1}")
    gc.collect()  # the loop holds tasks only weakly: nothing keeps this one alive
    print(f"tasks besides main after gc: {len(asyncio.all_tasks()) - 1}")
    return "main done"


def run(title, main):
    result = kata.run(title, main)
    print(f"{result} after {kata.now()}")


if __name__ == "__main__":
    kata.options()
    run("create_task each, await in the listed order a, b1, b2", listed_order)
    run("as_completed", completed_order)
    run("as_completed, break after the first", break_early)
    run("as_completed, break, and a task left behind fails", break_then_fail)
    run("a task nobody keeps a reference to", unreferenced)
