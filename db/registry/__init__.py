"""The needy-student registry: students, households and the school (dto, rules, services)."""
