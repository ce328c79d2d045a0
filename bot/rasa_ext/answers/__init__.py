"""Dialogue policies for answers to questions the bot asks outside any rule."""
