#!/usr/bin/env python3
"""advanced/wait (seed 003): asyncio.wait and the three loops the seed builds on it.

Run: python3 python/advanced/wait/wait_loops.py [--scale 0.01]

Today's form of each of the seed's wait() programs (it passed bare coroutines, which 3.11
refuses: wait() takes tasks). Times are in seed seconds, to the nearest half; a() takes
3 s and b(name) 1 s.
"""
import asyncio
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2]))  # python/, for kata
import kata  # noqa: E402


async def work(name, seconds):
    await asyncio.sleep(seconds * kata.scale)
    return name


def a(name="a"):
    return asyncio.create_task(work(name, 3))


def b(name):
    return asyncio.create_task(work(name, 1))


def names(tasks):
    return sorted(t.result() for t in tasks)


async def wait_all():
    done, pending = await asyncio.wait([a(), b("b1"), b("b2")])
    return f"done {names(done)}, pending {len(pending)}"


async def first_completed():
    pending = {a(), b("b1"), b("b2")}
    batches = []
    while pending:
        done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        batches.append(names(done))
        print(f"wait returned {names(done)} at {kata.now()}")
    return f"batches {batches}"


async def batch_shape(runs):
    # How often do b1 and b2, both due at 1 s, come back from one wait() together?
    together = 0
    for _ in range(runs):
        pending = {a(), b("b1"), b("b2")}
        done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        together += len(done) == 2
        for t in pending:
            t.cancel()
        await asyncio.wait(pending)
    return f"b1 and b2 came back in one batch in {together} of {runs} runs"


async def with_extras():
    # The seed's second loop: one extra task per call of wait(), however many finished.
    pending = {a(), b("b1"), b("b2")}
    extra = [lambda: b("b3"), lambda: a("a2"), lambda: b("b4"), lambda: b("b5")]
    order = []
    while pending:
        done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        order += names(done)
        if extra:
            pending.add(extra.pop(0)())
        if len(order) == 2:
            print(f"after b1 and b2 finished: {len(pending)} running")
    return f"all {len(order)} finished"


async def refill():
    # What the Go kata's Refill does: one new task per *finished* task.
    pending = {a(), b("b1"), b("b2")}
    extra = [lambda: b("b3"), lambda: a("a2"), lambda: b("b4"), lambda: b("b5")]
    order = []
    while pending:
        done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        order += names(done)
        for _ in done:
            if extra:
                pending.add(extra.pop(0)())
        if len(order) == 2:
            print(f"after b1 and b2 finished: {len(pending)} running")
    return f"all {len(order)} finished"


async def evented():
    # The seed's evented loop, a 0.2 s tick. The seed kept its extras in a set, whose pop()
    # order is arbitrary; a list keeps this run repeatable.
    done = set()
    pending = {a(), b("b1"), b("b2")}
    extras = [lambda: a("a2"), lambda: b("b3"), lambda: b("b4")]
    turns = empty = 0
    while pending:
        just_done, pending = await asyncio.wait(pending, timeout=0.2 * kata.scale)
        turns += 1
        empty += not just_done
        done.update(just_done)
        if extras:
            pending.add(extras.pop(0)())
    print(f"{turns} turns, {empty} of them with nothing done")
    return f"finished {names(done)}"


async def no_tick():
    # asyncio.wait can wake on new work too: wait on the running tasks *and* a get() from
    # the queue that brings work in, FIRST_COMPLETED. No tick, and new work starts at once.
    more = asyncio.Queue()

    async def feed():
        for name, at in (("b3", 0.5), ("b4", 2.5)):
            await asyncio.sleep(at * kata.scale - kata.elapsed())
            print(f"{name} handed in at {kata.now()}")
            await more.put(name)
        await more.put(None)

    feeder = asyncio.create_task(feed())
    pending = {a(), b("b1"), b("b2")}
    getter = asyncio.create_task(more.get())
    wakes = 0
    while pending or getter:
        done, _ = await asyncio.wait(pending | ({getter} if getter else set()), return_when=asyncio.FIRST_COMPLETED)
        wakes += 1
        if getter in done:
            name = getter.result()
            getter = None
            if name is not None:
                pending.add(b(name))
                print(f"{name} started at {kata.now()}")
                getter = asyncio.create_task(more.get())
        for t in sorted(done & pending, key=lambda t: t.result()):
            pending.discard(t)
            print(f"{t.result()} finished at {kata.now()}")
    await feeder
    return f"{wakes} wake-ups, none of them a tick"


def run(title, main):
    result = kata.run(title, main)
    print(f"{result}; took {kata.now()}")


if __name__ == "__main__":
    kata.options()
    run("wait(tasks): ALL_COMPLETED", wait_all())
    run("the first-completed loop", first_completed())
    run("the first-completed wait, 5 times", batch_shape(5))
    run("the seed's loop with extras: one per wait()", with_extras())
    run("one extra per finished task (Go's Refill)", refill())
    run("the evented loop, timeout=0.2", evented())
    run("no tick: wait on the tasks and on the queue of new work", no_tick())
