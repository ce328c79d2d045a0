"""Development and operations tools, outside the runtime package ``bot``: the command line,
the local stack, the scale-out cluster on one machine, the SMS gateway client."""
