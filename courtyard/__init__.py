"""The domain both channels share: who people are, the ledger, and what texts mean."""
