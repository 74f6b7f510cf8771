"""The fixed words of the domain as string enums (DESIGN.md: Gap and pace, Effective target, Accounts and access).

Each member is its own stored and exported value (`Status.MET == "met"`), so CSV, JSON and the database keep
the words DESIGN.md names; the interface wording for each lives in `ui/wording.py`.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    REFERENCE_MET = "reference_met"
    REFERENCE_NOT_MET = "reference_not_met"
    PENDING_TARGET = "pending_target"
    NO_TARGET = "no_target"
    NO_DATA = "no_data"

    @property
    def graded(self) -> bool:
        """Headline counts count these only (DESIGN.md: Gap and pace)."""
        return self in GRADED


GRADED = frozenset({Status.MET, Status.NOT_MET, Status.ON_TRACK, Status.BEHIND})
REFERENCE = frozenset({Status.REFERENCE_MET, Status.REFERENCE_NOT_MET})


class Origin(StrEnum):
    """Where the winning target came from."""

    OWN = "own"
    STRICTER_PARENT = "stricter-parent"
    INHERITED = "inherited"
    REFERENCE = "reference"


class Scope(StrEnum):
    WHOLE = "whole"  # a figure for the region as a whole
    EACH = "each"  # every subordinate region must reach it


class Form(StrEnum):
    ABSOLUTE = "absolute"
    RELATIVE = "relative"
    PENDING = "pending"


class ValueSource(StrEnum):
    UPLOADED = "uploaded"
    AGGREGATED = "aggregated"
    APPROXIMATE = "approximate"


class Severity(StrEnum):
    ERROR = "error"  # blocks the commit
    WARNING = "warning"  # shown, does not block


class Role(StrEnum):
    """Account roles, least to most (DESIGN.md: Who uses it)."""

    VIEWER = "viewer"
    SUBMITTER = "submitter"
    ANALYST = "analyst"
    ADMIN = "admin"
