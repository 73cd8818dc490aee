"""The registry ledger (students, households): its printed documents so far (pdf.py, paper.py)."""
