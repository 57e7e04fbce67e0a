"""Shared vocabularies. Kept as TextChoices so every app, form and filter agrees."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    """The LSC National Office definition of the public sector (16 categories, seed 004
    Appendix II), the voluntary and community sector as a separate class, and 'other' for
    bodies such as professional institutes and employers' organisations."""

    SOCIAL_CARE = "social_care", _("Social Care")
    PRISON_SERVICE = "prison_service", _("Prison Service")
    POLICE = "police", _("Police")
    PROBATION_SERVICE = "probation_service", _("Probation Service")
    YOUTH_JUSTICE_BOARD = "youth_justice_board", _("Youth Justice Board")
    FIRE_SERVICE = "fire_service", _("Fire Service")
    AMBULANCE_SERVICE = "ambulance_service", _("Ambulance Service")
    HEALTH_AND_BLOOD = "health_and_blood", _("Health and Blood Service")
    CENTRAL_GOVERNMENT = "central_government", _("Central Government Agencies and Departments")
    LOCAL_GOVERNMENT = "local_government", _("Local Government")
    ARMED_FORCES = "armed_forces", _("Armed Forces")
    UNIVERSITIES = "universities", _("Universities")
    SCHOOLS = "schools", _("Schools")
    FURTHER_EDUCATION = "further_education", _("Further Education Colleges")
    COURT_SERVICES = "court_services", _("Court Services")
    CHILDRENS_SERVICES = "childrens_services", _("Children's Services")
    VOLUNTARY_AND_COMMUNITY = "voluntary_and_community", _("Voluntary and community sector")
    OTHER = "other", _("Other (professional body, employers' organisation, partnership)")

    @classmethod
    def public_sector(cls) -> list[str]:
        """The 16 public-sector categories, without the VCS and 'other'."""
        return [c for c in cls.values if c not in (cls.VOLUNTARY_AND_COMMUNITY, cls.OTHER)]


class Region(models.TextChoices):
    NORTH_EAST = "north_east", _("North East")
    NORTH_WEST = "north_west", _("North West")
    YORKSHIRE = "yorkshire", _("Yorkshire and the Humber")
    EAST_MIDLANDS = "east_midlands", _("East Midlands")
    WEST_MIDLANDS = "west_midlands", _("West Midlands")
    EAST_OF_ENGLAND = "east_of_england", _("East of England")
    LONDON = "london", _("London")
    SOUTH_EAST = "south_east", _("South East")
    SOUTH_WEST = "south_west", _("South West")
    WALES = "wales", _("Wales")
    SCOTLAND = "scotland", _("Scotland")
    NORTHERN_IRELAND = "northern_ireland", _("Northern Ireland")
    NATIONAL = "national", _("National")


class CareerLevel(models.IntegerChoices):
    """The four levels of the HPMA London career pathway and competency framework."""

    LEVEL_1 = 1, _("Level 1: entry and operational (bands 2 to 4)")
    LEVEL_2 = 2, _("Level 2: advisory and specialist (bands 5 to 6)")
    LEVEL_3 = 3, _("Level 3: senior specialist and business partner (bands 7 to 8a)")
    LEVEL_4 = 4, _("Level 4: head of HR, deputy director and director (band 8b and above)")


class CipdGrade(models.TextChoices):
    NONE = "none", _("Not a CIPD member")
    STUDENT = "student", _("Student member")
    FOUNDATION = "foundation", _("Foundation member")
    ASSOCIATE = "associate", _("Associate member (Assoc CIPD)")
    CHARTERED_MEMBER = "chartered_member", _("Chartered Member (Chartered MCIPD)")
    CHARTERED_FELLOW = "chartered_fellow", _("Chartered Fellow (Chartered FCIPD)")
