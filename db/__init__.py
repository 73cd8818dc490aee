"""The Qt-free core of 助学台账: models, migrations, domain rules and services.

Nothing under this package may import PySide6 (tests/test_architecture.py keeps that rule).
"""
