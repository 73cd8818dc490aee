"""The composition root: application, main window, pages, dialogs and the task runner."""
