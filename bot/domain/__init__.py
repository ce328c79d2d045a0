"""What the operator means, free of frameworks: languages, SMS command codes, phone numbers
and one-time codes, money and volume formats, reply rendering from the domain file."""
