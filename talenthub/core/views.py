import logging
from datetime import timedelta

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django.views.generic import FormView, TemplateView

from . import unsubscribe
from .forms import ContactForm, ProfileForm
from .middleware import STAFF_MFA_NEXT_SESSION_KEY, is_staff_account
from .page_cache import kept_fragment
from .services import contact_message_send, profile_get_or_create, profile_update

logger = logging.getLogger(__name__)


class HomeView(TemplateView):
    template_name = "core/home.html"


class OperatorPageView(TemplateView):
    """A statutory page (accessibility statement, privacy notice, cookies) with the
    operator's details from ``TALENTHUB["OPERATOR"]``."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            operator=settings.TALENTHUB["OPERATOR"],
            session_days=settings.SESSION_COOKIE_AGE // 86400,
            session_cookie_name=settings.SESSION_COOKIE_NAME,
            retention={
                "outbox_days": settings.TALENTHUB["OUTBOX_BODY_RETENTION_DAYS"],
                "audit_days": settings.TALENTHUB["AUDIT_LOG_RETENTION_DAYS"],
            },
            csrf_cookie_name=settings.CSRF_COOKIE_NAME,
            **kwargs,
        )


class ContactView(FormView):
    """Help and contact: a message to the site's inbox through the outbox, at most
    ``CONTACT_RATE_LIMIT`` per client address."""

    template_name = "core/contact.html"
    form_class = ContactForm

    def get_initial(self):
        user = self.request.user
        if user.is_authenticated:
            return {"name": user.full_name, "email": user.email}
        return {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(operator=settings.TALENTHUB["OPERATOR"], **kwargs)

    def form_valid(self, form):
        from allauth.core.internal import ratelimit

        allowed = ratelimit.consume(
            self.request,
            app="talenthub",
            action="contact",
            config={"contact": settings.TALENTHUB["CONTACT_RATE_LIMIT"]},
        )
        if not allowed:
            form.add_error(
                None,
                "You have sent several messages in a short time. Wait an hour, then try "
                "again, or email us.",
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        user = self.request.user if self.request.user.is_authenticated else None
        contact_message_send(user=user, **form.cleaned_data)
        return render(
            self.request,
            "core/contact_sent.html",
            {"operator": settings.TALENTHUB["OPERATOR"]},
        )


class StaffMfaRequiredView(LoginRequiredMixin, TemplateView):
    """Where a staff account without a second factor is sent from the admin: why it is
    needed, and the ways to set one up. The admin page they asked for is kept in the
    session, for the "continue" link once they have one."""

    template_name = "core/staff_mfa_required.html"

    def get(self, request, *args, **kwargs):
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            request.session[STAFF_MFA_NEXT_SESSION_KEY] = next_url
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            is_staff_account=is_staff_account(self.request.user),
            has_mfa=is_mfa_enabled(self.request.user),
            webauthn="webauthn" in settings.MFA_SUPPORTED_TYPES,
            **kwargs,
        )


class ProfileUpdateView(LoginRequiredMixin, FormView):
    """The member's profile form. On a GET, the form's HTML and the page's links (which
    insights pages the person may open) depend only on the data and on whose page it is,
    so both are kept per data version and person (``page_cache.kept_fragment``, issue
    16): a member coming back runs none of the form's queries (their profile, its
    functional areas, the organisations and areas to choose from, their insights
    grants) nor renders its widgets; any committed change shows on the next request. The
    page around them (CSRF token, messages, navigation) is made per request; a form sent
    back with errors is never kept."""

    template_name = "core/profile_update.html"
    form_class = ProfileForm
    success_url = reverse_lazy("profile")

    def get(self, request, *args, **kwargs):
        # Kept only once the profile exists: its creation (profile_get_or_create, on the
        # first render) is a save, which retires what that render kept.
        person = (request.user.pk,)
        return self.render_to_response(
            self.get_context_data(
                form=None,  # not made unless the kept form is worked out again
                kept_form=kept_fragment(
                    "profile-form", request, vary_on=person, render=lambda: str(self.get_form())
                ),
                kept_links=kept_fragment(
                    "profile-links",
                    request,
                    vary_on=person,
                    render=lambda: render_to_string("core/_profile_links.html", request=request),
                ),
            )
        )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = profile_get_or_create(user=self.request.user)
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        profile_update(user=self.request.user, **data)
        messages.success(self.request, "Your profile has been saved.")
        return super().form_valid(form)


# Exempt from CSRF because mail providers POST here with no cookie (RFC 8058 one-click);
# the signed token in the URL is the authorisation, and all it can do is turn one kind
# of email off for one person. GET only shows a button: link scanners that follow
# every link in an email must not unsubscribe anyone.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe_view(request, token):
    """Unsubscribe from one kind of bulk email, without signing in."""
    try:
        asked = unsubscribe.token_read(token)
    except unsubscribe.InvalidToken:
        return render(request, "core/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        unsubscribe.email_unsubscribe(request=asked)
        return render(request, "core/unsubscribe_done.html", {"asked": asked})
    return render(request, "core/unsubscribe_confirm.html", {"asked": asked})


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_redis() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


class _Unhealthy(Exception):
    """A dependency answers, but what it says is bad (the reason is shown)."""


def _check_broker() -> str:
    """Celery's broker takes a connection (tasks can be queued); whether a worker is
    running is the worker's own healthcheck (``celery inspect ping``)."""
    from talenthub.celery import app

    if app.conf.broker_url.startswith("memory://"):
        return "not configured"
    with app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=0)
    return "ok"


def _check_outbox() -> str:
    """Emails still waiting ``OUTBOX_BACKLOG_MINUTES`` after they were queued: above
    ``OUTBOX_BACKLOG_THRESHOLD`` of them, email is not going out (no worker on the email
    queue, the mail server refusing, a broker that loses tasks). One indexed count, capped
    at the threshold + 1 so a large backlog costs no more than a small one."""
    from .models import OutboundEmail

    minutes = settings.TALENTHUB["OUTBOX_BACKLOG_MINUTES"]
    threshold = settings.TALENTHUB["OUTBOX_BACKLOG_THRESHOLD"]
    waiting = OutboundEmail.objects.filter(
        status=OutboundEmail.Status.PENDING,
        created_at__lt=timezone.now() - timedelta(minutes=minutes),
    )[: threshold + 1].count()
    if waiting > threshold:
        raise _Unhealthy(f"over {threshold} emails waiting more than {minutes} minutes")
    return "ok"


# Looked up when called, so a test can replace one check.
HEALTH_CHECKS = {
    "database": lambda: _check_database(),
    "redis": lambda: _check_redis(),
    "broker": lambda: _check_broker(),
    "outbox": lambda: _check_outbox(),
}
# scope=web: can this process serve pages (a load balancer's or container's check).
# The default, all: is the service doing its work (monitoring's check).
HEALTH_SCOPES = {"web": ("database", "redis"), "all": tuple(HEALTH_CHECKS)}


@never_cache
def healthz(request):
    """200 when every check of the scope passes, 503 otherwise (docs/operations.md,
    "Monitoring"): the database and Redis answer; with ``scope=all`` (the default) also
    Celery's broker takes a connection and the outbox has no backlog."""
    scope = request.GET.get("scope", "all")
    if scope not in HEALTH_SCOPES:
        return JsonResponse({"error": f"scope is one of {', '.join(HEALTH_SCOPES)}"}, status=400)
    checks = {}
    healthy = True
    for name in HEALTH_SCOPES[scope]:
        try:
            checks[name] = HEALTH_CHECKS[name]()
        except _Unhealthy as exc:
            logger.warning("healthz: %s: %s", name, exc)
            checks[name] = f"error: {exc}"
            healthy = False
        except Exception as exc:  # any failure of a dependency is "down", with its reason
            logger.warning("healthz: %s is down: %s", name, exc)
            checks[name] = f"error: {type(exc).__name__}"
            healthy = False
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
