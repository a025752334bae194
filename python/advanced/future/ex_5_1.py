#!/usr/bin/env python3
"""advanced/future and advanced/supervise (seed 002, ex_5_1): asking a task for its exception.

Run: python3 python/advanced/future/ex_5_1.py [--scale 0.01]

main awaits only the long task, then calls task1.exception() on the short one. First as the
seed has it (the failing task is the quicker one), then with the delays swapped.
"""
import asyncio
import gc
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2]))  # python/, for kata
import kata  # noqa: E402


async def shorter_task(delay):
    print("Executing the task to raise an exception!")
    await asyncio.sleep(delay * kata.scale)
    raise Exception("Some exception happened!")


async def longer_task(delay):
    print("Executing the task which will complete!")
    await asyncio.sleep(delay * kata.scale)
    print("longer_task is done!")


async def main(fail_after, finish_after):
    print("Main coroutine started!")
    task1 = asyncio.create_task(shorter_task(fail_after))
    task2 = asyncio.create_task(longer_task(finish_after))
    await task2
    try:
        ex = task1.exception()
        print(f"Exception: {ex}")
    except asyncio.InvalidStateError as e:
        print(f"task1.exception() raised InvalidStateError: {e}")
    del task1, task2
    gc.collect()
    print("Main coroutine done!")


def run(title, fail_after, finish_after):
    kata.run(title, main(fail_after, finish_after))
    gc.collect()
    print("asyncio.run returned; nothing more was logged")


if __name__ == "__main__":
    kata.options()
    run("the seed's ex_5_1: fails after 0.1 s, main awaits a 1 s task", 0.1, 1)
    run("swapped: fails after 2 s, main awaits a 1 s task", 2, 1)
