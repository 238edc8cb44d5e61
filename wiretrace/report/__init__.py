"""Renderers: turn results into text for people and JSON for scripts."""
