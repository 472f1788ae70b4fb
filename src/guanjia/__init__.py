"""Guanjia (管家): everyday governance of urban residential communities."""

__version__ = "0.1.0"
