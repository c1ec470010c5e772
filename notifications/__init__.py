"""Adapters for telling people: templates and channels (e-mail), filled in by the alerts issue."""
