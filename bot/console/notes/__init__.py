"""Internal notes on cases and tickets: for agents only, never sent to the customer."""
