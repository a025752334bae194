#!/usr/bin/env python3
"""advanced/queue (seed 002, ex_5_5): a producer and a consumer that never ends.

Run: python3 python/advanced/queue/ex_5_5.py [--scale 0.01]

First the seed's program as it is, then three ways to give the consumer an ending: a
sentinel, queue.join(), and (Python 3.13+) Queue.shutdown().
"""
import asyncio
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2]))  # python/, for kata
import kata  # noqa: E402


async def producer(channel):
    for num in range(0, 5):
        await asyncio.sleep(1 * kata.scale)
        await channel.put(num)


async def consumer(channel):
    try:
        while True:
            item = await channel.get()
            print(f"Got number {item}")
    except asyncio.CancelledError:
        print("consumer cancelled in get()")
        raise


async def seed_main():
    channel = asyncio.Queue()
    asyncio.create_task(consumer(channel))
    await producer(channel)
    print("Done!")


async def slow_consumer(channel):
    try:
        while True:
            item = await channel.get()
            await asyncio.sleep(0)  # any await between taking an item and handling it
            print(f"Got number {item}")
    except asyncio.CancelledError:
        print(f"consumer cancelled holding number {item}")
        raise


async def seed_main_slow_consumer():
    channel = asyncio.Queue()
    asyncio.create_task(slow_consumer(channel))
    await producer(channel)
    print("Done!")


async def consumer_until_none(channel):
    while (item := await channel.get()) is not None:
        print(f"Got number {item}")
    print("consumer saw the sentinel and returns")


async def with_sentinel():
    channel = asyncio.Queue()
    consuming = asyncio.create_task(consumer_until_none(channel))
    await producer(channel)
    await channel.put(None)  # "no more": a value the producer never sends otherwise
    await consuming
    print("Done!")


async def consumer_task_done(channel):
    while True:
        item = await channel.get()
        print(f"Got number {item}")
        channel.task_done()


async def with_join():
    channel = asyncio.Queue()
    consuming = asyncio.create_task(consumer_task_done(channel))
    await producer(channel)
    await channel.join()  # every item got *and* marked done
    print("Done!")
    consuming.cancel()  # it still never ends by itself


async def consumer_until_shutdown(channel):
    while True:
        try:
            item = await channel.get()
        except asyncio.QueueShutDown:
            print("get() raised QueueShutDown: the consumer returns")
            return
        print(f"Got number {item}")


async def with_shutdown():
    channel = asyncio.Queue()
    consuming = asyncio.create_task(consumer_until_shutdown(channel))
    await producer(channel)
    channel.shutdown()  # like Go's close(ch): items already put can still be got
    await consuming
    print("Done!")


if __name__ == "__main__":
    kata.options()
    kata.run("the seed's program", seed_main)
    kata.run("the seed's program, a consumer that awaits before it prints", seed_main_slow_consumer)
    kata.run("a sentinel ends the consumer", with_sentinel)
    kata.run("queue.join() waits for every item", with_join)
    if sys.version_info >= (3, 13):
        kata.run("Queue.shutdown() (Python 3.13+)", with_shutdown)
    else:
        print(f"== Queue.shutdown() needs Python 3.13; this is {sys.version_info[0]}.{sys.version_info[1]}")
