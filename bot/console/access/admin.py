"""``telecom-assistant agent add|list|remove``: manage who may sign in to the console."""

from __future__ import annotations

import getpass
import sys
from typing import TextIO

from bot.config import load_settings
from bot.console.access.accounts import AccountError
from bot.console.access.passwords import WeakPassword
from bot.console.wiring import console_accounts


def read_password(from_stdin: bool, stdin: TextIO = sys.stdin) -> str:
    """The new password: one line of standard input, or asked twice without echo."""
    if from_stdin:
        return stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat it: ") != first:
        raise AccountError("the two passwords differ")
    return first


def agent_command(action: str, username: str | None, password_stdin: bool = False) -> int:
    """Run one ``agent`` subcommand; messages go to stdout/stderr, the result is the exit code."""
    accounts = console_accounts(load_settings())
    try:
        if action == "list":
            for agent in accounts.list():
                print(f"{agent.username}\t{agent.created_at:%Y-%m-%d %H:%M}")
            return 0
        if not username:
            raise AccountError("a username is needed")
        if action == "add":
            agent = accounts.add(username, read_password(password_stdin))
            print(f"agent {agent.username} added")
            return 0
        if accounts.remove(username):
            print(f"agent {username} removed (and signed out)")
            return 0
        print(f"no agent {username}", file=sys.stderr)
        return 1
    except (AccountError, WeakPassword) as error:
        print(f"agent: {error}", file=sys.stderr)
        return 2
