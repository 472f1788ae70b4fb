"""What the decisions services refuse, as codes the API and pages turn into messages."""

from __future__ import annotations


class DecisionError(Exception):
    """A request that breaks a rule of the decision (not a permission problem: that is PermissionDenied).

    `status` is the HTTP status an API answers with: 409 for the wrong state, 422 for bad input."""

    def __init__(self, code: str, message: str, *, field: str = "", status: int = 409) -> None:
        super().__init__(message)
        self.code, self.message, self.field, self.status = code, message, field, status


def invalid(field: str, message: str, code: str = "validation_error") -> DecisionError:
    return DecisionError(code, message, field=field, status=422)
