from django import template

from ..middleware import STAFF_MFA_NEXT_SESSION_KEY, is_staff_account, session_used_mfa

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_mfa_continue_url(context):
    """The admin page a staff member was on their way to when they were asked to set up a
    second factor, once this session has used one; otherwise empty."""
    request = context.get("request")
    if request is None or not is_staff_account(request.user):
        return ""
    next_url = request.session.get(STAFF_MFA_NEXT_SESSION_KEY, "")
    if next_url and session_used_mfa(request):
        return next_url
    return ""
