"""Custom components of the NLU pipeline."""
