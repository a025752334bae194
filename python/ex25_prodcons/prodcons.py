#!/usr/bin/env python3
"""Exercise 25, question 2 (seed 001): producers and consumers around an asyncio.Queue.

Run: python3 python/ex25_prodcons/prodcons.py [-p 5] [-c 10] [--seed N] [--scale 0.01]

The seed's script in our own words, for Python 3.11+: producers make 1 to 3 random hex
items, sleeping 0 to 2 s before each; consumers loop for ever, sleeping 0 to 2 s *before*
each get; main gathers the producers, awaits queue.join() and cancels the consumers.
--seed makes the run repeatable (one random.Random per producer and consumer, so the
interleaving cannot change who draws what). Waits are printed in seed seconds. At the end
it prints what the lesson says about the run: join returned only once every item was
handled, and the cancel found every consumer between items.
"""
import asyncio
import os
import pathlib
import random
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # python/, for kata
import kata  # noqa: E402

MAX_SLEEP = 2  # seconds a producer or consumer sleeps at most, before each item
MAX_ITEMS = 3  # items a producer makes at most

added = 0
handled = 0
cancelled_at = []  # where each consumer was when it was cancelled


async def produce(name, q, rng):
    for _ in range(rng.randint(1, MAX_ITEMS)):
        pause = rng.randint(0, MAX_SLEEP)
        print(f"Producer {name} sleeping for {pause} seconds.")
        await asyncio.sleep(pause * kata.scale)
        item = os.urandom(2).hex()
        await q.put((item, time.perf_counter()))
        global added
        added += 1
        print(f"Producer {name} added <{item}> to queue.")


async def consume(name, q, rng):
    where = "sleeping"
    try:
        while True:
            where = "sleeping"
            pause = rng.randint(0, MAX_SLEEP)
            print(f"Consumer {name} sleeping for {pause} seconds.")
            await asyncio.sleep(pause * kata.scale)
            where = "waiting in get()"
            item, made = await q.get()
            waited = (time.perf_counter() - made) / kata.scale
            print(f"Consumer {name} got element <{item}> in {waited:.0f} seconds.")
            global handled
            handled += 1
            q.task_done()
    except asyncio.CancelledError:
        cancelled_at.append(where)
        raise


async def main(nprod, ncon, seed):
    q = asyncio.Queue()  # maxsize 0: unbounded, so put() never waits
    rng = random.Random(seed)
    seeds = [rng.random() for _ in range(nprod + ncon)]
    producers = [asyncio.create_task(produce(n, q, random.Random(seeds[n]))) for n in range(nprod)]
    consumers = [asyncio.create_task(consume(n, q, random.Random(seeds[nprod + n]))) for n in range(ncon)]
    await asyncio.gather(*producers)
    await q.join()
    print(f"join returned: {added} added, {handled} handled")
    for c in consumers:
        c.cancel()
    await asyncio.gather(*consumers, return_exceptions=True)
    holding = len(cancelled_at) - cancelled_at.count("sleeping") - cancelled_at.count("waiting in get()")
    print(f"cancelled {len(cancelled_at)} consumers, {holding} of them holding an item")
    print(f"(where they were: {', '.join(sorted(set(cancelled_at)))})")


if __name__ == "__main__":
    parser = kata.parser()
    parser.add_argument("-p", "--nprod", type=int, default=5, help="producers (default 5)")
    parser.add_argument("-c", "--ncon", type=int, default=10, help="consumers (default 10)")
    parser.add_argument("--seed", type=int, help="seed the random pauses and counts")
    args = kata.options(parser)
    kata.restart()
    asyncio.run(main(args.nprod, args.ncon, args.seed))
    print(f"Program completed in {kata.elapsed() / kata.scale:.0f} seconds.")
