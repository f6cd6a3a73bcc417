"""slidekit: presentation-as-code for technical talks."""

__version__ = "0.1.0"
