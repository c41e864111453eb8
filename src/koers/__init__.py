"""Koers: the performance and development conversation cycle for public-sector employers."""
