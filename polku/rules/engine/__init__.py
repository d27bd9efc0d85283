"""Polku's statutory rules engine: pure Python, no Django, no other Polku package.

Rules are ``decide_<rule>(facts, as_of) -> Decision`` functions over frozen facts; legal
values come only from the dated YAML files in ``polku/rules/parameters``.
"""
