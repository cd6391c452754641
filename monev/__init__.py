"""Monev Jamsostek: monitoring and evaluation of Inpres 2/2021 coverage by Pemda."""

__version__ = "0.1.0"
