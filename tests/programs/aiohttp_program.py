"""An aiohttp server and client in one program: REQUESTS requests, then it stops."""

import asyncio

from aiohttp import ClientSession, web

REQUESTS = 50


async def hello(request):
    return web.Response(text="hello")


async def main():
    app = web.Application()
    app.router.add_get("/", hello)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    async with ClientSession() as session:
        for _ in range(REQUESTS):
            async with session.get(f"http://127.0.0.1:{port}/") as response:
                assert await response.text() == "hello"
    await runner.cleanup()


asyncio.run(main())
