"""Supply-chain checks run by `make audit` (see security/README.md)."""
