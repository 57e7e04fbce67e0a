"""Django's stock widget templates, written in Python.

Django renders a widget through its template, and a <select> through one more template
include per option and one per option's attributes: about 6 ms for a select of 30
options, most of a filter page's time, and in the admin a template per row for the
action checkbox (issue 16). For the stock input, textarea and select templates, the
functions here write the same HTML from the same widget context, escaped as the template
would; ``GovukFormRenderer`` uses them and sends every other template (a file input, the
admin's widgets, a custom option template) to Django's templates as before.
tests/core/test_widget_html.py checks the output is identical, byte for byte, to the
templates' for every kind.
"""

from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData
from django.utils.timezone import template_localtime


def _text(value) -> str:
    """``{{ value }}`` in an autoescaped template (django.template.base's
    render_value_in_context)."""
    value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


def _formatted(value) -> str:
    """``{{ value|stringformat:'s' }}`` in an autoescaped template."""
    text = "%s" % value  # noqa: UP031 (the filter's own formatting)
    return text if isinstance(value, SafeData) else conditional_escape(text)


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_text(name)}")
        if value is not True:
            parts.append(f'="{_formatted(value)}"')
    return "".join(parts)


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html (text, email, date, number, checkbox and the like)."""
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}'
        f"{_attrs(widget['attrs'])}>"
    )


def _textarea(widget: dict) -> str:
    """django/forms/widgets/textarea.html."""
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _select(widget: dict) -> str | None:
    """django/forms/widgets/select.html with select_option.html for each option (whose
    include keeps the template's trailing newline); None if an option has a template of
    its own."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _OPTION_TEMPLATE:
                return None
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


_INPUT_TEMPLATES = {
    f"django/forms/widgets/{kind}.html"
    for kind in (
        "input", "text", "email", "url", "number", "password", "search", "tel", "date",
        "datetime", "time", "color", "checkbox", "hidden",
    )
}  # fmt: skip
WRITERS = {
    **dict.fromkeys(_INPUT_TEMPLATES, _input),
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
}


def write(template_name: str, context: dict) -> str | None:
    """The HTML ``template_name`` renders for this widget context, stripped as the form
    renderer strips it; None where the template is not one of Django's stock ones."""
    writer = WRITERS.get(template_name)
    if writer is None or "widget" not in context:
        return None
    html = writer(context["widget"])
    return None if html is None else html.strip()
