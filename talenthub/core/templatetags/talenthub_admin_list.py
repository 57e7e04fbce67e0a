"""``{% talenthub_result_list cl %}``: Django's ``{% result_list cl %}`` (the changelist's
table, from ``admin/change_list_results.html``, overridable per app and model as
Django's), with the rows made by ``talenthub.core.admin_changelist`` (issue 16).
templates/admin/change_list.html uses it in place of Django's tag."""

from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.template import Library

from talenthub.core import admin_changelist

register = Library()


@register.tag(name="talenthub_result_list")
def result_list_tag(parser, token):
    return InclusionAdminNode(
        parser,
        token,
        func=admin_changelist.result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
