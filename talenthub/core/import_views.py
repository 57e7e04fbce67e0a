"""The page every bulk import uses: choose a CSV file, see a preview of every row with
its errors (a dry run through the real services), confirm to write them all.

A subclass names the ``spec`` (``talenthub.core.imports.ImportSpec``), fetches the
``target`` through a scoped selector (so an object the user may not manage is a 404) and
says where to go back to. The previewed file travels back with the confirmation signed
for this user and this target; the confirmation runs every check again and writes
nothing if any row is refused."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from .imports import (
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    ImportFileError,
    read_upload,
    run_import,
    sign_preview,
    unsign_preview,
)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Save your spreadsheet as “CSV UTF-8 (comma delimited)”."),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )
    preview = forms.CharField(required=False, widget=forms.HiddenInput)


class BulkImportView(FormView):
    """An import page: upload, preview with row errors, confirm. A subclass names its
    ``spec`` and ``what`` and says where the rows go (``get_target``) and where to go
    back to (``get_back_url``)."""

    template_name = "core/bulk_import.html"
    form_class = ImportUploadForm
    spec = None
    what = ""  # "participants": the page says "Import participants"

    def get_target(self):
        """The object the rows are imported into, checked against the person's scope."""
        raise ImproperlyConfigured(f"{type(self).__name__} must define get_target().")

    def get_target_label(self) -> str:
        return str(self.target)

    def get_back_url(self) -> str:
        raise ImproperlyConfigured(f"{type(self).__name__} must define get_back_url().")

    def success_message(self, result) -> str:
        return _("%(n)s rows imported.") % {"n": len(result.rows)}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.target = self.get_target()
        return super().dispatch(request, *args, **kwargs)

    def _salt(self) -> str:
        # Bound to this kind of import, this target and this person: a preview cannot be
        # confirmed into another cohort, or by someone else.
        view = f"{type(self).__module__}.{type(self).__qualname__}"
        return f"import:{view}:{self.target.pk}:{self.request.user.pk}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            target=self.target,
            target_label=self.get_target_label(),
            what=self.what,
            columns=self.spec.columns,
            back_url=self.get_back_url(),
            max_rows=MAX_IMPORT_ROWS,
            max_bytes=MAX_IMPORT_BYTES,
            **kwargs,
        )

    def form_valid(self, form):
        token = form.cleaned_data["preview"]
        confirming = bool(token) and "confirm" in self.request.POST
        try:
            if confirming:
                text = unsign_preview(token, salt=self._salt())
            else:
                text = read_upload(form.cleaned_data["file"])
            result = run_import(
                self.spec, text, target=self.target, actor=self.request.user, commit=confirming
            )
        except ImportFileError as exc:
            form.add_error("file", exc.message)
            return self.form_invalid(form)
        if result.written:
            messages.success(self.request, self.success_message(result))
            return redirect(self.get_back_url())
        preview_form = self.form_class(initial={"preview": sign_preview(text, salt=self._salt())})
        return self.render_to_response(
            self.get_context_data(form=preview_form, result=result, confirming=confirming),
            status=200 if result.ok else 422,
        )
