"""Dropout control (控辍保学): cases, state changes, persuasion attempts, the monthly report."""
