"""Messages the bot misunderstood, labelled by agents for the training data."""
