"""Cogs, one module per feature; every module here is loaded by the bot (see ``cog_modules``).

Each module ends in ``async def setup(bot)`` adding its cog.
"""
