"""The equality monitoring questions and their answers.

Ethnicity follows the ONS 2021 census categories for England and Wales (19 categories
in five groups); the other questions follow the Equality Act 2010's protected
characteristics as the NHS and local government collect them. Every question has
"Prefer not to say".

Reports group answers (ethnicity by its five census groups, so that small categories
are not shown at all) and compare every group with a *reference group*, the group the
gap is measured against: for ethnicity White, as in the NHS Workforce Race Equality
Standard.
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

PREFER_NOT_TO_SAY = "prefer_not_to_say"
PREFER_NOT_TO_SAY_LABEL = _("Prefer not to say")
NOT_RECORDED = "not_recorded"
NOT_RECORDED_LABEL = _("No monitoring information")


class Ethnicity(models.TextChoices):
    ASIAN_BANGLADESHI = "asian_bangladeshi", _("Asian, Asian British or Asian Welsh: Bangladeshi")
    ASIAN_CHINESE = "asian_chinese", _("Asian, Asian British or Asian Welsh: Chinese")
    ASIAN_INDIAN = "asian_indian", _("Asian, Asian British or Asian Welsh: Indian")
    ASIAN_PAKISTANI = "asian_pakistani", _("Asian, Asian British or Asian Welsh: Pakistani")
    ASIAN_OTHER = (
        "asian_other",
        _("Asian, Asian British or Asian Welsh: any other Asian background"),
    )
    BLACK_AFRICAN = (
        "black_african",
        _("Black, Black British, Black Welsh, Caribbean or African: African"),
    )
    BLACK_CARIBBEAN = (
        "black_caribbean",
        _("Black, Black British, Black Welsh, Caribbean or African: Caribbean"),
    )
    BLACK_OTHER = (
        "black_other",
        _(
            "Black, Black British, Black Welsh, Caribbean or African: any other Black, "
            "Black British or Caribbean background"
        ),
    )
    MIXED_WHITE_ASIAN = "mixed_white_asian", _("Mixed or Multiple ethnic groups: White and Asian")
    MIXED_WHITE_BLACK_AFRICAN = (
        "mixed_white_black_african",
        _("Mixed or Multiple ethnic groups: White and Black African"),
    )
    MIXED_WHITE_BLACK_CARIBBEAN = (
        "mixed_white_black_caribbean",
        _("Mixed or Multiple ethnic groups: White and Black Caribbean"),
    )
    MIXED_OTHER = (
        "mixed_other",
        _("Mixed or Multiple ethnic groups: any other Mixed or Multiple background"),
    )
    WHITE_BRITISH = "white_british", _("White: English, Welsh, Scottish, Northern Irish or British")
    WHITE_IRISH = "white_irish", _("White: Irish")
    WHITE_GYPSY_TRAVELLER = "white_gypsy_traveller", _("White: Gypsy or Irish Traveller")
    WHITE_ROMA = "white_roma", _("White: Roma")
    WHITE_OTHER = "white_other", _("White: any other White background")
    OTHER_ARAB = "other_arab", _("Other ethnic group: Arab")
    OTHER_ANY = "other_any", _("Other ethnic group: any other ethnic group")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL


ETHNIC_GROUPS = {
    "asian": _("Asian, Asian British or Asian Welsh"),
    "black": _("Black, Black British, Black Welsh, Caribbean or African"),
    "mixed": _("Mixed or Multiple ethnic groups"),
    "white": _("White"),
    "other": _("Other ethnic group"),
}


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL


class GenderIdentity(models.TextChoices):
    """ONS 2021: "Is the gender you identify with the same as your sex registered at
    birth?"."""

    SAME = "yes", _("Yes")
    DIFFERENT = "no", _("No")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL


class SexualOrientation(models.TextChoices):
    STRAIGHT = "straight", _("Straight or heterosexual")
    GAY_OR_LESBIAN = "gay_or_lesbian", _("Gay or lesbian")
    BISEXUAL = "bisexual", _("Bisexual")
    OTHER = "other", _("Other sexual orientation")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL


class Disability(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL


class Religion(models.TextChoices):
    NONE = "none", _("No religion")
    BUDDHIST = "buddhist", _("Buddhist")
    CHRISTIAN = "christian", _("Christian (all denominations)")
    HINDU = "hindu", _("Hindu")
    JEWISH = "jewish", _("Jewish")
    MUSLIM = "muslim", _("Muslim")
    SIKH = "sikh", _("Sikh")
    OTHER = "other", _("Any other religion or belief")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL


class AgeBand(models.TextChoices):
    UNDER_25 = "16_24", _("16 to 24")
    FROM_25 = "25_34", _("25 to 34")
    FROM_35 = "35_44", _("35 to 44")
    FROM_45 = "45_54", _("45 to 54")
    FROM_55 = "55_64", _("55 to 64")
    FROM_65 = "65_plus", _("65 or over")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL


class CaringResponsibilities(models.TextChoices):
    NONE = "none", _("No")
    CHILDREN = "children", _("Yes, for a child or children")
    ADULTS = "adults", _("Yes, for a disabled, ill or older adult")
    BOTH = "both", _("Yes, for both")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL


@dataclass(frozen=True)
class Characteristic:
    """One monitored characteristic as reports show it."""

    field: str
    label: str
    question: str
    choices: type[models.TextChoices]
    reference: str
    # Reporting groups in display order: {group key: label}. Empty: one group per answer.
    groups: dict = field(default_factory=dict)

    def group_of(self, value: str | None) -> str:
        """The reporting group of a stored answer (None: the person gave no form)."""
        if value is None:
            return NOT_RECORDED
        if value == PREFER_NOT_TO_SAY or not self.groups:
            return value
        return value.split("_", 1)[0]

    def report_groups(self) -> list[tuple[str, str]]:
        """Every group a report shows, in order, ending with "prefer not to say" and "no
        monitoring information" so that a column always adds up to its total."""
        if self.groups:
            named = list(self.groups.items())
        else:
            named = [(v, label) for v, label in self.choices.choices if v != PREFER_NOT_TO_SAY]
        return [
            *named,
            (PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL),
            (NOT_RECORDED, NOT_RECORDED_LABEL),
        ]

    def group_label(self, key: str) -> str:
        return dict(self.report_groups())[key]


CHARACTERISTICS = {
    c.field: c
    for c in [
        Characteristic(
            "ethnicity",
            _("Ethnic group"),
            _("What is your ethnic group?"),
            Ethnicity,
            reference="white",
            groups=ETHNIC_GROUPS,
        ),
        Characteristic("sex", _("Sex"), _("What is your sex?"), Sex, reference=Sex.MALE),
        Characteristic(
            "gender_identity",
            _("Gender identity the same as sex registered at birth"),
            _("Is the gender you identify with the same as your sex registered at birth?"),
            GenderIdentity,
            reference=GenderIdentity.SAME,
        ),
        Characteristic(
            "sexual_orientation",
            _("Sexual orientation"),
            _("Which of the following best describes your sexual orientation?"),
            SexualOrientation,
            reference=SexualOrientation.STRAIGHT,
        ),
        Characteristic(
            "disability",
            _("Disability"),
            _(
                "Do you consider yourself to have a disability or long-term health condition, "
                "as defined by the Equality Act 2010?"
            ),
            Disability,
            reference=Disability.NO,
        ),
        Characteristic(
            "religion",
            _("Religion or belief"),
            _("What is your religion or belief?"),
            Religion,
            reference=Religion.CHRISTIAN,
        ),
        Characteristic(
            "age_band", _("Age band"), _("What is your age?"), AgeBand, reference=AgeBand.FROM_35
        ),
        Characteristic(
            "caring_responsibilities",
            _("Caring responsibilities"),
            _(
                "Do you look after, or give help or support to, anyone because of their age, "
                "illness or disability, or care for children?"
            ),
            CaringResponsibilities,
            reference=CaringResponsibilities.NONE,
        ),
    ]
}
