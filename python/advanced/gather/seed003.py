#!/usr/bin/env python3
"""advanced/gather (seed 003): from awaiting in turn to gather, in today's asyncio.

Run: python3 python/advanced/gather/seed003.py [--scale 0.01]

Seed 003 was written for Python 3.4: generator coroutines (`yield from`), asyncio.async()
and wait() of bare coroutines. None of that runs on Python 3.11, and the first part of this
script shows why. Then each of the seed's steps in today's form. Times are in seed
seconds, to the nearest half.
"""
import asyncio
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2]))  # python/, for kata
import kata  # noqa: E402


async def a():
    await asyncio.sleep(3 * kata.scale)
    print(f"a at {kata.now()}")
    return "a"


async def b(name):
    await asyncio.sleep(1 * kata.scale)
    print(f"{name} at {kata.now()}")
    return name


def obsolete():
    print("== the seed's Python 3.4 code on this Python")
    try:
        compile("asyncio.async(a())", "<seed>", "eval")
    except SyntaxError as e:
        print(f"asyncio.async(...): SyntaxError ({e.msg}): async is a keyword since 3.7; today: asyncio.create_task")
    print(f"asyncio.coroutine exists: {hasattr(asyncio, 'coroutine')} (the decorator for yield-from coroutines, removed in 3.11)")

    def old_style():
        yield from asyncio.sleep(0)

    try:
        asyncio.run(old_style())
    except (TypeError, ValueError) as e:  # TypeError up to 3.11, ValueError from 3.12
        print(f"asyncio.run of a yield-from generator fails: it is not a coroutine ({type(e).__name__}: {e})")

    async def bare():
        coros = [a(), b("b1")]
        try:
            await asyncio.wait(coros)
        except TypeError as e:
            print(f"asyncio.wait([coroutines]): TypeError: {e}")
        for c in coros:
            c.close()

    asyncio.run(bare())


async def in_turn():
    return [await a(), await b("b1"), await b("b2")]


async def reordered():
    a_coro, b1_coro, b2_coro = a(), b("b1"), b("b2")
    results = []
    for coro in b1_coro, b2_coro, a_coro:
        results.append(await coro)
    return results


async def tasks_in_order():
    tasks = [asyncio.create_task(a()), asyncio.create_task(b("b1")), asyncio.create_task(b("b2"))]
    results = []
    for t in tasks:
        results.append(await t)
        print(f"main looks at {results[-1]} at {kata.now()}")
    return results


async def gathered():
    return await asyncio.gather(a(), b("b1"), b("b2"))


def run(title, main):
    result = kata.run(title, main)
    print(f"{result} after {kata.now()}")


if __name__ == "__main__":
    kata.options()
    obsolete()
    run("awaited one after the other", in_turn)
    run("awaited in the order b1, b2, a", reordered)
    run("create_task for each, then await each in turn", tasks_in_order)
    run("gather(a(), b('b1'), b('b2'))", gathered)
