"""``telecom-assistant agent add|list|remove|reset-password|set-role``: who may sign in to the
console, and as what (agent or supervisor)."""

from __future__ import annotations

import getpass
import sys
from typing import TextIO

from bot.config import load_settings
from bot.console.access.accounts import AccountError, AgentAccounts
from bot.console.access.passwords import WeakPassword
from bot.console.wiring import console_accounts


def read_password(from_stdin: bool, stdin: TextIO | None = None) -> str:
    """The new password: one line of standard input, or asked twice without echo."""
    if from_stdin:
        return (stdin or sys.stdin).readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat it: ") != first:
        raise AccountError("the two passwords differ")
    return first


def _run(
    accounts: AgentAccounts, action: str, username: str, password_stdin: bool, role: str | None
) -> int:
    if action == "add":
        agent = accounts.add(username, read_password(password_stdin), role or "agent")
        print(f"agent {agent.username} added ({agent.role})")
        return 0
    if action == "reset-password":
        accounts.reset_password(username, read_password(password_stdin))
        print(f"password of {username} reset (and signed out)")
        return 0
    if action == "set-role":
        if role is None:
            raise AccountError("--role agent|supervisor is needed")
        accounts.set_role(username, role)
        print(f"{username} is now {role}")
        return 0
    if accounts.remove(username):
        print(f"agent {username} removed (and signed out)")
        return 0
    print(f"no agent {username}", file=sys.stderr)
    return 1


def agent_command(
    action: str, username: str | None, password_stdin: bool = False, role: str | None = None
) -> int:
    """Run one ``agent`` subcommand; messages go to stdout/stderr, the result is the exit code."""
    accounts = console_accounts(load_settings())
    try:
        if action == "list":
            for agent in accounts.list():
                print(f"{agent.username}\t{agent.role}\t{agent.created_at:%Y-%m-%d %H:%M}")
            return 0
        if not username:
            raise AccountError("a username is needed")
        return _run(accounts, action, username, password_stdin, role)
    except (AccountError, WeakPassword) as error:
        print(f"agent: {error}", file=sys.stderr)
        return 2
