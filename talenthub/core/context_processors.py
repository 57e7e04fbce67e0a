from django.conf import settings

NAVIGATION = [
    ("Programmes", "/programmes/"),
    ("Events", "/events/"),
    ("Alumni", "/alumni/"),
    ("Resources", "/resources/"),
    ("Compacts", "/compacts/"),
]


def site(request):
    path = request.path
    return {
        "SERVICE_NAME": "TalentHub",
        "SITE_URL": settings.SITE_URL,
        "navigation": [
            {"label": label, "href": href, "active": path.startswith(href)}
            for label, href in NAVIGATION
        ],
    }
