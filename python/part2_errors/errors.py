#!/usr/bin/env python3
"""Part 2 (seed 000): two steps that fail, in sequence, with gather, and with a TaskGroup.

Run: python3 python/part2_errors/errors.py [--scale 0.01] [--seed N]

--seed N runs the seed's own program first: p1 and p2 flip a coin (random.Random(N), so a
seed always gives the same flips, like steps.Coin in the Go kata) and main awaits them with
no try, so a failure ends the program with a traceback. Without --seed it is skipped and
both steps always fail, as the lesson's question asks. Times are printed in seed seconds.
"""
import asyncio
import gc
import pathlib
import random
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # python/, for kata
import kata  # noqa: E402

coin = None  # None: always fail; else a random.Random, flipped like the seed's random()


def fails():
    return coin is None or coin.random() >= 0.5


async def p1():
    await asyncio.sleep(0.5 * kata.scale)
    if not fails():
        return "success"
    print(f"p1 raises 'promise rejected' at {kata.now()}")
    raise Exception("promise rejected")


async def p2():
    try:
        await asyncio.sleep(1 * kata.scale)
    except asyncio.CancelledError:
        print(f"p2 cancelled at {kata.now()}")
        raise
    if not fails():
        return "success"
    print(f"p2 raises 'error thrown' at {kata.now()}")
    raise Exception("error thrown")


async def seed_main():
    result1 = await p1()
    result2 = await p2()
    print(f"result 1 was a {result1}")
    print(f"result 2 was a {result2}")


async def in_sequence():
    try:
        await p1()
        await p2()
    except Exception as e:
        print(f"except got {e!r} at {kata.now()}")


class PromiseRejected(Exception):
    pass


class ErrorThrown(Exception):
    pass


async def p1_typed():
    await asyncio.sleep(0.5 * kata.scale)
    raise PromiseRejected("promise rejected")


async def p2_typed():
    await asyncio.sleep(1 * kata.scale)
    raise ErrorThrown("error thrown")


async def told_apart():
    # One class per kind of failure: the except clause, not the message, says which it was.
    for step in (p1_typed, p2_typed):
        try:
            await step()
        except PromiseRejected:
            print(f"{step.__name__}: except PromiseRejected")
        except ErrorThrown:
            print(f"{step.__name__}: except ErrorThrown")


async def gather_then_return():
    # The seed's shape: main ends right after the except block.
    try:
        await asyncio.gather(p1(), p2())
    except Exception as e:
        print(f"except got {e!r} at {kata.now()}")


async def gather_then_stay():
    # A longer-lived program: main goes on, so p2 runs to its own failure at 1 s. Every
    # report the loop makes ("Task exception was never retrieved" among them) goes through
    # its exception handler: count the calls, and pass each on to the default handler.
    loop = asyncio.get_running_loop()
    reports = []
    loop.set_exception_handler(lambda loop, context: (reports.append(context["message"]),
                                                      loop.default_exception_handler(context)))
    try:
        await asyncio.gather(p1(), p2())
    except Exception as e:
        print(f"except got {e!r} at {kata.now()}")
    await asyncio.sleep(1 * kata.scale)
    gc.collect()
    print(f"main ends at {kata.now()}; the loop reported {reports or 'nothing'}")


async def gather_all():
    results = await asyncio.gather(p1(), p2(), return_exceptions=True)
    print(f"gather returned {results!r} at {kata.now()}")


async def task_group():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(p1())
            tg.create_task(p2())
    except ExceptionGroup as eg:
        print(f"except* got {eg!r} at {kata.now()}")


async def fail_at(seconds, message):
    await asyncio.sleep(seconds * kata.scale)
    raise Exception(message)


async def task_group_same_moment():
    # Both steps fail at 0.5 s: neither can be cancelled before it fails, so both are kept.
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail_at(0.5, "promise rejected"))
            tg.create_task(fail_at(0.5, "error thrown"))
    except ExceptionGroup as eg:
        print(f"except* got {eg!r} at {kata.now()}")


async def forgotten_task():
    # Contrast: a task that fails with nobody awaiting it, and no gather to mark it seen.
    task = asyncio.create_task(p2())
    await asyncio.sleep(1.5 * kata.scale)
    print(f"main drops its only reference to the failed task at {kata.now()}")
    del task
    gc.collect()


if __name__ == "__main__":
    parser = kata.parser()
    parser.add_argument("--seed", type=int, help="run the seed's program with this coin seed")
    args = kata.options(parser)
    if args.seed is not None:
        coin = random.Random(args.seed)
        kata.run(f"the seed's program, coin seeded with {args.seed}", seed_main)
        sys.exit(0)
    kata.run("in sequence, inside try", in_sequence)
    kata.run("an exception class per failure", told_apart)
    kata.run("gather, main returns after the except", gather_then_return)
    kata.run("gather, main stays a while", gather_then_stay)
    kata.run("gather, return_exceptions=True", gather_all)
    kata.run("TaskGroup", task_group)
    kata.run("TaskGroup, both fail at the same moment", task_group_same_moment)
    kata.run("a task nobody awaits fails", forgotten_task)
