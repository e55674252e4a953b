"""Delivery on Discord: the only package that imports ``discord``.

``create_bot`` builds the wired bot without connecting; ``bot.discord.runner`` runs it.
"""

from bot.discord.app import DispatchBot, create_bot

__all__ = ["DispatchBot", "create_bot"]
