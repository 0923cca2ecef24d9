"""foglight: turn news reporting on armed conflict into a sourced, mapped event ledger."""

__version__ = "0.1.0"
