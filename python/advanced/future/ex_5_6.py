#!/usr/bin/env python3
"""advanced/future (seeds 002 and 003): asyncio.Future, its paired methods, and its role as
the bridge from callback code to await.

Run: python3 python/advanced/future/ex_5_6.py [--scale 0.01]
"""
import asyncio
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2]))  # python/, for kata
import kata  # noqa: E402


async def seed_ex_5_6():
    future = asyncio.Future()
    print(f"future status is done: {future.done()}")
    future.set_result(10)
    print(f"future status is done: {future.done()}, future result: {future.result()}")
    result = await future
    print(f"future result after being awaited: {result}")


def attempt(what, call):
    try:
        print(f"{what} -> {call()!r}")
    except asyncio.InvalidStateError as e:
        print(f"{what} -> InvalidStateError: {e}")
    except asyncio.CancelledError:
        print(f"{what} -> CancelledError")
    except Exception as e:
        print(f"{what} -> raises {e!r}")


async def pairs():
    # Seed 003: the methods come in pairs. Setting: set_result / set_exception.
    # Reading: result / exception. State: done / cancelled.
    pending = asyncio.Future()
    attempt("pending: done()", pending.done)
    attempt("pending: result()", pending.result)
    attempt("pending: exception()", pending.exception)

    ok = asyncio.Future()
    ok.set_result(10)
    attempt("after set_result(10): result()", ok.result)
    attempt("after set_result(10): exception()", ok.exception)
    attempt("a second set_result(11)", lambda: ok.set_result(11))

    failed = asyncio.Future()
    failed.set_exception(ValueError("boom"))
    attempt("after set_exception: done()", failed.done)
    attempt("after set_exception: exception()", failed.exception)
    attempt("after set_exception: result()", failed.result)

    stopped = asyncio.Future()
    attempt("cancel()", stopped.cancel)
    attempt("after cancel: cancelled()", stopped.cancelled)
    attempt("after cancel: done()", stopped.done)
    attempt("after cancel: result()", stopped.result)
    attempt("set_result after cancel", lambda: stopped.set_result(1))

    task = asyncio.create_task(asyncio.sleep(0, "from a task"))
    print(f"a Task is a Future: {isinstance(task, asyncio.Future)}")
    await task
    attempt("task.result()", task.result)


def callback_api(on_done):
    # Callback-style code: it calls on_done(value) later and returns nothing now.
    asyncio.get_running_loop().call_later(0.5 * kata.scale, on_done, "called back")


async def bridge():
    # A Future turns "call me back" into something a coroutine can await.
    loop = asyncio.get_running_loop()
    future = loop.create_future()
    callback_api(future.set_result)
    print(f"awaiting the callback's future: {await future}")


if __name__ == "__main__":
    kata.options()
    kata.run("the seed's ex_5_6", seed_ex_5_6)
    kata.run("the pairs", pairs)
    kata.run("a Future as the bridge from callback code", bridge)
