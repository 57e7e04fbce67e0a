from talenthub.core.exceptions import DomainError


class ResourcesError(DomainError):
    """A rule of the resource hub was broken; ``message`` is shown to the member, ``code``
    names the rule."""

    code = "resources"
