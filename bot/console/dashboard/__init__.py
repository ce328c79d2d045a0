"""The supervisor's dashboard: figures of the desk and the bot."""
