"""Users, roles and logins; the keys of an encrypted ledger (issue 14, "Users, roles, login" and
"Encryption at rest"). Not a ledger of its own: the access service is built with the registry's."""
