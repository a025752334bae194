#!/usr/bin/env python3
"""advanced/supervise (seed 002, ex_5_2): the event loop's exception handler.

Run: python3 python/advanced/supervise/ex_5_2.py [--scale 0.01]

ex_5_2 is ex_5_1 without the task1.exception() call, and with a handler set on the loop.
Nobody retrieves the short task's exception, so when the task object is destroyed its
finaliser hands it to the handler, with the message "Task exception was never retrieved".
Then the same with no handler (the default one logs it), and with a task that raises
SystemExit, which no handler sees: it ends asyncio.run itself.
"""
import asyncio
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2]))  # python/, for kata
import kata  # noqa: E402


def exception_handler(loop, context):
    ex = context["exception"]
    print(f"handler: {context['message']}: {ex}")


async def shorter_task():
    print("Executing the task to raise an exception!")
    await asyncio.sleep(0.01 * kata.scale)
    raise Exception("Some exception happened!")


async def longer_task():
    print("Executing the task which will complete!")
    await asyncio.sleep(1 * kata.scale)
    print("longer_task is done!")


async def main(handler):
    print("Main coroutine started!")
    loop = asyncio.get_running_loop()
    if handler:
        loop.set_exception_handler(exception_handler)
    task1 = asyncio.create_task(shorter_task())
    task2 = asyncio.create_task(longer_task())
    await task2
    print("Main coroutine done!")


async def exits():
    await asyncio.sleep(0.01 * kata.scale)
    raise SystemExit(3)


async def main_with_exit():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(exception_handler)
    asyncio.create_task(exits())
    await asyncio.sleep(1 * kata.scale)
    print("main_with_exit is done")


def run(title, main):
    try:
        kata.run(title, main)
    except SystemExit as e:
        print(f"asyncio.run raised SystemExit({e.code}): the loop is down")
    else:
        print("asyncio.run returned")
    sys.stdout.flush()


if __name__ == "__main__":
    kata.options()
    run("the seed's ex_5_2", main(True))
    run("ex_5_2 without set_exception_handler", main(False))
    run("a task raises SystemExit", main_with_exit())
