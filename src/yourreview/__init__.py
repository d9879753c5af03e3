"""Your Review: letters to children in care, 'have your say' forms and an anonymised site."""

from __future__ import annotations

__version__ = "0.1.0"
