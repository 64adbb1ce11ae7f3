"""Drafting a model from charter text."""
