from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "Career resource hub"

    def ready(self):
        from . import personal_data

        personal_data.register()

        # The programme page names the framework applicants are selected against; the
        # catalogue does not import the hub, so the hub adds that part itself.
        from programmes import contributions

        from .selectors import selection_framework_for

        contributions.register_page_part(
            "resources.selection_framework",
            slot="how_to_apply",
            order=10,
            template="resources/_programme_selection_framework.html",
            items=selection_framework_for,
        )
