"""Adapters for the system tray's own mechanisms (one module each): the StatusNotifierItem watcher."""
