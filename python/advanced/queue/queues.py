#!/usr/bin/env python3
"""advanced/queue and ex25 (seed 002's queue remark): which queue waits, and for what.

Run: python3 python/advanced/queue/queues.py [--scale 0.01]

- asyncio.Queue() has maxsize 0, which means unbounded: put() never waits. Only a
  positive maxsize makes put() wait for a get(); there is no size that makes every put
  wait for its get, as a Go unbuffered channel does.
- collections.deque is a plain container: appending and popping never wait, and popping
  an empty one raises IndexError.
- queue.Queue is for threads: its get() blocks the calling thread, so called from a
  coroutine it freezes the whole event loop (a ticker task stops ticking).
Times are in seed seconds, to the nearest half.
"""
import argparse
import asyncio
import collections
import queue
import sys
import time

SCALE = 1.0
START = 0.0


def now():
    return f"{round((time.perf_counter() - START) / SCALE * 2) / 2:g} s"


async def unbounded():
    q = asyncio.Queue()
    print(f"asyncio.Queue().maxsize == {q.maxsize}")
    for i in range(1000):
        await q.put(i)
    print(f"1000 puts with no consumer returned at {now()}; qsize {q.qsize()}")


async def bounded():
    q = asyncio.Queue(maxsize=1)

    async def late_get():
        await asyncio.sleep(1 * SCALE)
        print(f"get() takes {q.get_nowait()} at {now()}")

    getter = asyncio.create_task(late_get())
    await q.put("a")
    print(f"put(a) into Queue(maxsize=1) returned at {now()}")
    await q.put("b")
    print(f"put(b) returned at {now()}, once a get() made room")
    await getter


async def a_deque():
    d = collections.deque()
    d.append(1)
    print(f"deque popleft() gives {d.popleft()}")
    try:
        d.popleft()
    except IndexError as e:
        print(f"popleft() on an empty deque raises IndexError: {e}")


async def thread_queue():
    ticks = []

    async def ticker():
        while True:
            await asyncio.sleep(0.5 * SCALE)
            ticks.append(now())

    tick = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    q = queue.Queue()
    try:
        q.get(timeout=2 * SCALE)  # blocks this thread: the loop cannot run anything else
    except queue.Empty:
        print(f"queue.Queue.get(timeout=2) gave up at {now()}; ticks meanwhile: {len(ticks)}")
    tick.cancel()


def run(title, main):
    global START
    print(f"== {title}")
    sys.stdout.flush()
    START = time.perf_counter()
    asyncio.run(main())
    sys.stdout.flush()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0, help="seconds per seed second")
    SCALE = parser.parse_args().scale
    run("asyncio.Queue() is unbounded", unbounded)
    run("asyncio.Queue(maxsize=1)", bounded)
    run("collections.deque", a_deque)
    run("queue.Queue inside a coroutine", thread_queue)
