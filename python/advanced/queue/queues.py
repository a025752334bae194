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
import asyncio
import collections
import pathlib
import queue
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2]))  # python/, for kata
import kata  # noqa: E402


async def unbounded():
    q = asyncio.Queue()
    print(f"asyncio.Queue().maxsize == {q.maxsize}")
    for i in range(1000):
        await q.put(i)
    print(f"1000 puts with no consumer returned at {kata.now()}; qsize {q.qsize()}")


async def bounded():
    q = asyncio.Queue(maxsize=1)

    async def late_get():
        await asyncio.sleep(1 * kata.scale)
        print(f"get() takes {q.get_nowait()} at {kata.now()}")

    getter = asyncio.create_task(late_get())
    await q.put("a")
    print(f"put(a) into Queue(maxsize=1) returned at {kata.now()}")
    await q.put("b")
    print(f"put(b) returned at {kata.now()}, once a get() made room")
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
            await asyncio.sleep(0.5 * kata.scale)
            ticks.append(kata.now())

    tick = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    q = queue.Queue()
    try:
        q.get(timeout=2 * kata.scale)  # blocks this thread: the loop cannot run anything else
    except queue.Empty:
        print(f"queue.Queue.get(timeout=2) gave up at {kata.now()}; ticks meanwhile: {len(ticks)}")
    tick.cancel()


if __name__ == "__main__":
    kata.options()
    kata.run("asyncio.Queue() is unbounded", unbounded)
    kata.run("asyncio.Queue(maxsize=1)", bounded)
    kata.run("collections.deque", a_deque)
    kata.run("queue.Queue inside a coroutine", thread_queue)
