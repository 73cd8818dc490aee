"""Aid rules without a database: terms, seeded standards, entitlement computation, dataclasses."""
