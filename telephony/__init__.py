"""Everything that talks to phones: providers, the outbox and request signatures."""
