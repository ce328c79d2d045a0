"""Human handoff: the queue of cases waiting for an agent."""
