"""“Email the attendees” / “email the participants”: an admin page of its own (as
Django's ``UserAdmin.user_change_password``) under an object's change page, at
``<id>/email/``. Three steps, one service call: write (audience, subject, text) →
preview (the email as its first recipient reads it, and the recipient count) → confirm.
A refusal is a form error on the same page, never a success banner. The form carries a
one-time ``token`` that the service keys the message on, so a double click or a
resubmitted POST sends nothing twice.

A ``ModelAdmin`` using it defines ``message_audiences(obj)`` (``(value, label)`` pairs),
``message_preview(...)`` → ``(subject, text, count)`` and ``message_send(...)`` →
the logged message (with ``recipient_count``); both raise the app's ``DomainError``.
"""

import secrets

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from .admin_mixins import bulk_email_progress_html
from .exceptions import DomainError


def sent_messages_html(sent, progress) -> str:
    """Every message in ``sent`` (``BulkMessage`` rows with ``sent_by`` selected), one
    line each: subject, audience, who sent it and when, and how its emails stand in the
    outbox (``progress(message)``, e.g. ``BulkMessageKind.progress``)."""
    return format_html_join(
        "",
        "<p><strong>{}</strong>: {} by {}, {}. {}</p>",
        (
            (
                message.subject,
                message.get_audience_display(),
                message.sent_by,
                timezone.localtime(message.created_at).strftime("%d %b %Y %H:%M"),
                bulk_email_progress_html(progress(message), []),
            )
            for message in sent
        ),
    )


class BulkMessageForm(forms.Form):
    audience = forms.ChoiceField(label=_("Who to email"), widget=forms.RadioSelect)
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(
        label=_("Message"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 10, "cols": 80}),
        help_text=_("Plain text. Each email starts “Dear <first name>,” and ends with a link."),
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, audiences, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = audiences


class BulkMessageAdminMixin:
    message_template = "admin/bulk_message.html"
    message_title = _("Email the attendees")

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/email/",
                self.admin_site.admin_view(self.message_view),
                name=f"{info[0]}_{info[1]}_email",
            ),
            *super().get_urls(),
        ]

    def message_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))  # scoped: another provider's → None
        if obj is None:
            raise Http404(_("Nothing to email about here."))
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        audiences = self.message_audiences(obj)
        preview = None
        if request.method == "POST":
            form = BulkMessageForm(request.POST, audiences=audiences)
            if form.is_valid() and "edit" not in request.POST:
                data = form.cleaned_data
                try:
                    if "send" in request.POST:
                        sent = self.message_send(
                            obj, actor=request.user, audience=data["audience"],
                            subject=data["subject"], body=data["body"], token=data["token"],
                        )  # fmt: skip
                        self.message_user(
                            request,
                            _("Your message is being sent to %(n)s people.")
                            % {"n": sent.recipient_count},
                            messages.SUCCESS,
                        )
                        url = reverse(
                            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                            args=[obj.pk],
                        )
                        return HttpResponseRedirect(f"{url}#messages")
                    preview = self.message_preview(
                        obj, audience=data["audience"], subject=data["subject"],
                        body=data["body"], viewer=request.user,
                    )  # fmt: skip
                except DomainError as error:
                    error.add_to_form(form)
                    preview = None
        else:
            form = BulkMessageForm(
                initial={"token": secrets.token_urlsafe(24)}, audiences=audiences
            )
        context = {
            **self.admin_site.each_context(request),
            "title": self.message_title,
            "subtitle": str(obj),
            "opts": self.opts,
            "original": obj,
            "form": form,
            "preview": preview,
            "audience_label": dict(audiences).get(form.data.get("audience"))
            if form.is_bound
            else "",
        }
        return TemplateResponse(request, self.message_template, context)
