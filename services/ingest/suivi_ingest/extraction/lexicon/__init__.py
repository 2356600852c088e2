"""Closed word lists the rules look for, one module per language (``en``, ``fr``)."""
