#!/usr/bin/env python3
"""advanced/server (seed 003's closing remark): asyncio's server, and its shutdown.

Run: python3 python/advanced/server/server.py [--scale 0.01]

Seed 003 ends by saying its evented loop could grow into a "WSGI stack". WSGI is the
synchronous interface (one blocking call per request); asyncio's counterpart is ASGI, which
servers such as uvicorn and hypercorn speak. Underneath, both rest on what this script uses:
asyncio.start_server runs one handler task per connection. It listens on 127.0.0.1 (an
ephemeral port), serves two slow requests at once, then shuts down while they are in flight.
Times are in seed seconds, to the nearest half.
"""
import asyncio
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2]))  # python/, for kata
import kata  # noqa: E402


async def handle(reader, writer):
    name = (await reader.readline()).decode().strip()
    print(f"server: {name} accepted at {kata.now()}")
    try:
        await asyncio.sleep(2 * kata.scale)  # a slow request
        writer.write(f"{name} done\n".encode())
        await writer.drain()
        print(f"server: {name} answered at {kata.now()}")
    except asyncio.CancelledError:
        print(f"server: {name} cancelled at {kata.now()}")
        raise
    except ConnectionError:
        print(f"server: {name} ran on after the cut-off and found its connection gone at {kata.now()}")
    finally:
        writer.close()


async def client(port, name):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"{name}\n".encode())
    await writer.drain()
    answer = (await reader.readline()).decode().strip()
    writer.close()
    return answer or "connection closed, no answer"


async def serve(grace):
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    kata.restart()
    clients = [asyncio.create_task(client(port, n)) for n in ("r1", "r2")]
    await asyncio.sleep(0.5 * kata.scale)
    server.close()  # stop listening; the handlers in flight go on
    print(f"main: server.close() at {kata.now()}")
    try:
        async with asyncio.timeout(grace * kata.scale if grace else None):
            await server.wait_closed()
        print(f"main: wait_closed() returned at {kata.now()}")
    except TimeoutError:
        print(f"main: the grace period ran out at {kata.now()}")
        if sys.version_info >= (3, 13):
            server.close_clients()  # the cut-off (3.13+); the handlers are not cancelled
            print(f"main: close_clients() at {kata.now()}")
    for c in clients:
        print(f"client got: {await c} at {kata.now()}")
    await asyncio.sleep(1 * kata.scale)  # let handlers still running finish before the loop ends
    try:
        await asyncio.open_connection("127.0.0.1", port)
        print("main: a new connection was accepted after close()")
    except OSError:
        print("main: a new connection is refused after close()")


if __name__ == "__main__":
    kata.options()
    kata.run("close(), then wait_closed()", serve(None))
    kata.run("close(), then wait_closed() with a 1 s grace period", serve(1))
