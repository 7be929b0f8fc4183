"""The domain error every service raises when a precondition does not hold."""


class DomainError(Exception):
    """A rule of the domain refused an action.

    `message` is shown to people as is (French, translated); `code` is stable and
    meant for API clients; `field` names the input at fault, when there is one.
    """

    status_code = 400

    def __init__(self, message, *, code: str = "invalid", field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field


class Conflict(DomainError):
    """The action does not fit the current state of the object (HTTP 409)."""

    status_code = 409
