"""The HTML alternative of an email, made from its plain text when it is sent.

Every email is written once, as plain text (``templates/emails/*.txt``, allauth's
``account/email/*.txt``); the HTML part says exactly the same, laid out in the GOV.UK
manner (the service name in a header bar, 19px Arial-family text, blue underlined links),
so the two can never disagree. Built at send time, it costs the outbox nothing to store
and leaves the mail merge of ``notify_many`` as it is.
"""

from django.utils.html import escape, urlize

_PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
</head>
<body style="{body_style}">
<div style="background:#0b0c0c;border-bottom:10px solid #1d70b8;padding:16px 20px">
<span style="color:#ffffff;font-weight:bold;font-size:24px">TalentHub</span>
</div>
<div style="max-width:580px;padding:20px">
{body}
</div>
</body>
</html>
"""

_BODY_STYLE = (
    "margin:0;padding:0;background:#ffffff;color:#0b0c0c;"
    "font-family:Helvetica,Arial,sans-serif;font-size:19px;line-height:1.32"
)
_LINK_STYLE = ' style="color:#1d70b8;text-decoration:underline;overflow-wrap:anywhere"'


def _paragraph(block: str) -> str:
    lines = block.split("\n")
    if all(line.startswith("- ") for line in lines):
        items = "".join(f"<li>{_inline(line[2:])}</li>" for line in lines)
        return f'<ul style="margin:0 0 20px 0;padding-left:20px">{items}</ul>'
    return '<p style="margin:0 0 20px 0">' + "<br>\n".join(_inline(x) for x in lines) + "</p>"


def _inline(line: str) -> str:
    # urlize escapes what is not a link (and is slow: only lines that may hold one go
    # through it); long addresses break instead of widening a phone.
    if "://" not in line and "www." not in line and "@" not in line:
        return escape(line)
    html = urlize(line, autoescape=True)
    return html.replace("<a ", f"<a{_LINK_STYLE} ")


def html_from_text(subject: str, text: str) -> str:
    """An HTML document saying what ``text`` says: blank lines part paragraphs, line
    breaks are kept, lines that all start "- " are a list, web addresses are links, and
    everything else is escaped."""
    blocks = [b.strip("\n") for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    body = "\n".join(_paragraph(b) for b in blocks)
    return _PAGE.format(title=escape(subject), body=body, body_style=_BODY_STYLE)
