#!/usr/bin/env python3
"""Part 3 (seed 000): blocking calls in asyncio, and loop.run_in_executor.

Run: python3 python/part3_busboard/executor.py [--scale 0.01]

A blocking call (time.sleep standing in for requests.get) is run three ways, with a ticker
task beside it that prints every half second while the loop is free. Times are printed in
seed seconds, to the nearest half.
"""
import asyncio
import concurrent.futures
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # python/, for kata
import kata  # noqa: E402


def blocking_lookup(name, seconds):
    # Stands in for a requests call: it blocks the thread it runs on.
    print(f"{name} starts at {kata.now()}")
    time.sleep(seconds * kata.scale)
    print(f"{name} returns at {kata.now()}")
    return name


ticks = []


async def ticker():
    while True:
        await asyncio.sleep(0.5 * kata.scale)
        ticks.append(kata.now())
        print(f"tick at {kata.now()}")


async def called_directly():
    tick = asyncio.create_task(ticker())
    await asyncio.sleep(0)  # let the ticker start
    ticks.clear()
    blocking_lookup("lookup", 2)  # no await: the loop is stuck here for 2 s
    print(f"ticks while the call blocked: {len(ticks)}")
    await asyncio.sleep(0.1 * kata.scale)
    tick.cancel()


async def in_executor():
    tick = asyncio.create_task(ticker())
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, blocking_lookup, "lookup", 2)
    tick.cancel()


async def give_up():
    loop = asyncio.get_running_loop()
    try:
        await asyncio.wait_for(loop.run_in_executor(None, blocking_lookup, "lookup", 2), 1 * kata.scale)
    except TimeoutError:
        print(f"main gives up at {kata.now()}; main returns")


async def queued_job():
    # One worker: the second job waits in the pool's queue. Giving up on it cancels its
    # concurrent.futures.Future, and a job cancelled before it starts never runs.
    loop = asyncio.get_running_loop()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        first = loop.run_in_executor(pool, blocking_lookup, "first", 1)
        second = loop.run_in_executor(pool, blocking_lookup, "second", 1)
        try:
            await asyncio.wait_for(second, 0.5 * kata.scale)
        except TimeoutError:
            print(f"main gives up on second at {kata.now()}")
        await first
    print(f"pool shut down at {kata.now()}")


def run(title, main):
    kata.run(title, main)
    print(f"asyncio.run returns at {kata.now()}")


if __name__ == "__main__":
    kata.options()
    run("a blocking call inside a coroutine", called_directly)
    run("the same call through run_in_executor", in_executor)
    run("wait_for gives up after 1 s", give_up)
    run("a job still queued in the executor", queued_job)
