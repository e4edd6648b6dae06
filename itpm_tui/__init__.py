"""itpm: a terminal dashboard for IT project managers."""

__version__ = "0.1.0"
