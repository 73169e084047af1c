"""Maintenance scripts for the book: notebook normalization, the Colab setup cell, site checks."""
