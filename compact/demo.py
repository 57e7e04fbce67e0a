"""Demo data: the Derbyshire Public Sector Compact from seed 004 (the review of its first
year by Chris Donkin, May 2008): its terms of reference (original, Appendix II, and the
revision, Appendix IV), the Statement of Annual Priorities 2008-09 with its aim references,
the action plan rows A1–C1 (Appendix III), the steering group and its members'
organisations, meetings with falling attendance, the Members' Charter 2008–2010
(Appendix V) and the six-question review survey (36 sent, 10 replies, 7 usable).

The first year had no charter, so no organisation was yet held to its two-meetings rule;
the demo carries the steering group on under the charter (October 2008 to October 2009),
attendance still falling, so the attendance report shows 5 of 8 member organisations
meeting the rule in 2008 and 2 of 8 in 2009. The secretariat and the steering group
members get their roles through ``services.role_grant``, which makes them admin staff
scoped to this compact.

Idempotent: every row is found by a natural key and updated, never duplicated. People are
those the seed names; the 24 other registered steering-group members the survey went to
are anonymous placeholder accounts that cannot sign in."""

import datetime

from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from talenthub.core.choices import Region, Sector
from talenthub.core.demo import demo_account
from talenthub.core.models import Organisation, User

from . import services
from .models import (
    Action,
    ActionPlan,
    AgendaItem,
    Aim,
    Attendance,
    Bulletin,
    BulletinListing,
    BulletinSubscription,
    CharterSignatory,
    CharterVersion,
    Compact,
    CompactRole,
    Document,
    Group,
    GroupMembership,
    Meeting,
    NewsItem,
    PrioritiesStatement,
    Priority,
    ProgressUpdate,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    TermsOfReference,
)

PURPOSE = (
    "to improve the quality of the public services in the county through effective "
    "collaborative workforce development and planning"
)

AIMS = [
    (
        "1",
        "bring together public service sector employers in Derby City and Derbyshire, and "
        "through collaborative working bring together a wide range of skills, knowledge and "
        "experiences in the field of human resources, staff training, learning and development",
    ),
    ("2", "strengthen the skills of Derbyshire's Public Sector workforce through:"),
    (
        "2.1",
        "the identification of current and emerging major training needs of member organisations.",
    ),
    (
        "2.2",
        "the identification of common skills areas to allow training and development programmes "
        "to be developed that meet the needs of the Public Sector as a whole.",
    ),
    (
        "2.3",
        "responding to unsatisfied skills demands by working together to seek the bridging of "
        "gaps in provision.",
    ),
    (
        "2.4",
        "promoting access to recognised and relevant courses and qualifications that are "
        "designed to equip public service sector with the necessary skills they need to improve.",
    ),
    (
        "3",
        "create opportunities for partnership working amongst organisations to improve "
        "relationships and collaboration.",
    ),
    (
        "4",
        "raise the profile and perceived value of the Public Service Sector making it both a "
        "preferred career option and a route to career progression, particularly for under "
        "represented groups in the county.",
    ),
    (
        "5",
        "develop, publicise, promote and celebrate the common aims, priorities and achievements "
        "of the Compact.",
    ),
]

STEERING_ROLE = "\n".join(
    [
        "address the workforce development interests of Compact member organisations in "
        "Derby City and Derbyshire",
        "to review on an annual basis the terms of reference for the Compact",
        "agree an action plan to reflect the priorities of the Compact and how these will"
        " be taken forward",
        "agree, steer and monitor network groups to produce their own action plans and "
        "report back to the Steering Group in a timely and effective way",
        "inform the planning of events and publicity to support the Compact and develop "
        "its membership",
        "support the effective working of the sub groups",
        "inform plans for longer term sustainability of the Compact",
        "promote diversity and new and flexible career opportunities in the public sector",
    ]
)

SIXTEEN = (
    "(i) Social Care, (ii) Prison Service (iii) Police, (iv) Probation Service, (v) Youth "
    "Justice Board, (vi) Fire Service, (vii) Ambulance Service, (viii) Health and Blood "
    "Service, (ix) Central Government Agencies and Departments, (x) Local Government, (xi) "
    "Armed Forces, (xii) Universities, (xiii) Schools, (xiv) Further Education Colleges, (xv) "
    "Court Services and (xvi) Children's Services."
)

VCS = (
    "Some parts of the Public Sector are heavily dependent on the Voluntary and Community "
    "Sector (VCS) to deliver its organisational objectives. Because of the broad scale of both "
    "of these sectors, the Compact will initially only encompass the Public Sector and other "
    "groups as defined above and limit the representation of the Voluntary and Community "
    "sector at Steering Group level to the participation of DLDC. In its initial stages, the "
    "priority of the Compact is to establish a robust and effective means of delivering its "
    "purpose. If as the Compact develops it becomes appropriate to include other parts of the "
    "VCS, it can be considered."
)

EQUALITY = (
    "In delivering its purpose, members of the Compact agree to promote fair treatment of "
    "people, irrespective of their race, colour, religion, political opinions, ethnicity, "
    "nationality, disability, transgender, age, sexual orientation, or marital status."
)

TERMS = [
    {
        "version": 1,
        "title": "Terms of Reference of the Derbyshire Public Sector Compact",
        "adopted_on": datetime.date(2007, 3, 13),
        "review_due_on": datetime.date(2008, 3, 13),
        "mode_of_operation": (
            "as a self sustaining Compact managed through a representative Steering Group and "
            "to be active through the participation of members in a network of sub groups. The "
            "first groups are likely to include: Learning and Development (including Leadership "
            "and Management Mentoring and Shadowing); Recruitment, Retention and Diversity "
            "(including marketing, Apprenticeships, and community engagement).\n"
            "working either formally or informally in partnership with other members.\n"
            "supplemented by publicity materials and events to support the delivery of activity "
            "and widen the Compact's membership\n"
            "to identify and support areas of Compact activity that lend themselves to regional "
            "networking across the East Midlands"
        ),
        "membership": (
            "All employees of public sector organisations in Derbyshire are eligible to become "
            "members. For this purpose, the LSC National Office definition of public sector is "
            "used and covers the following: " + SIXTEEN
        ),
        "change_note": "",
    },
    {
        "version": 2,
        "title": "Revised Terms of Reference: Derbyshire Public Sector Compact",
        "adopted_on": datetime.date(2008, 6, 10),
        "review_due_on": datetime.date(2009, 6, 10),
        "mode_of_operation": (
            "as a self sustaining Compact managed through a representative Steering Group and "
            "to be active through the participation of member organisations in a network of sub "
            "groups. The groups will be formed as 'task and finish' groups to address the annual "
            "priorities of the Compact.\n"
            "working either formally or informally in partnership with representatives of member "
            "organisations.\n"
            "supplemented by publicity materials and events to support the delivery of activity "
            "and widen the Compact's membership\n"
            "to identify and support areas of Compact activity that lend themselves to regional "
            "networking across the East Midlands"
        ),
        "membership": (
            "The Compact be constituted by member organisations. The members charter will seek "
            "to outline specific commitments that Public Service Compact members have agreed to "
            "sign up to and support. By signing up to this Charter, members agree to work in "
            "partnership in order to implement the aims of the Compact by addressing the annual "
            "priorities. All employees of public sector organisations in Derbyshire are eligible "
            "to become associate members of the Compact. For this purpose, the LSC National "
            "Office definition of public sector is used and covers the following: " + SIXTEEN
        ),
        "change_note": (
            "Proposed in Appendix IV of the review of the first year (Chris Donkin, May 2008): "
            "aims numbered for cross referencing; sub groups formed as task and finish groups to "
            "address the annual priorities; the Compact constituted by member organisations "
            "signing a members' charter."
        ),
    },
]

PRIORITIES = [
    (
        "To encourage sector organisations in Derbyshire to sign up to the Skills Pledge.",
        ["2.1", "2.2", "2.3", "2.4"],
        "This priority has the potential to address issues around identification of current "
        "and emerging training needs of the sector.",
    ),
    (
        "To increase the number of apprentices employed within the public sector in Derbyshire",
        ["2.1", "2.3", "2.4", "4"],
        "In addition to having the potential to address issues around identification of current "
        "and emerging training needs, this priority could also partially address common "
        "'succession planning' issues within the sector.",
    ),
    (
        "To organise and deliver a series of Good Practice Events to ensure that through "
        "collaborative working we bring together a wide range of skills, knowledge and "
        "experiences in the field of human resources, staff training, learning and development.",
        ["1", "3", "4", "5"],
        "Arguably central to the work of the Compact and a vehicle for ensuring collaborative "
        "working.",
    ),
]

EXTRA_ORGANISATIONS = [
    ("East Midlands Business", Sector.OTHER),
    ("The Derbyshire Network", Sector.OTHER),
]

# name, organisation, steering-group role
PEOPLE = [
    ("Steve Morton", "University of Derby", "chair"),
    ("Cheryl Roberts", "Learning and Skills Council (Derbyshire)", "member"),
    ("Eryl Prentice", "Learning and Skills Council (Derbyshire)", "member"),
    ("Jackie Hewlett-Davies", "Derbyshire Hospitals NHS Foundation Trust", "member"),
    ("Cate Hollinshead", "Derbyshire Hospitals NHS Foundation Trust", "member"),
    ("Beverley Smith", "Connexions Derbyshire", "member"),
    ("Mark Edwards", "Derby City Council", "member"),
    ("Anne Marie-Chatwin", "East Midlands Ambulance Service", "member"),
    ("Elizabeth Wilson", "Derbyshire County Council", "member"),
    ("Linda Pearson", "East Midlands Business", "member"),
    ("Kerry Gulliver", "South Derbyshire District Council", "deputy"),
    ("Peter Jessop", "The Derbyshire Network", "member"),
]

# code, parent, theme, objective, what, outcomes, lead person, lead org, lead note,
# monitoring, timescale, aims
ACTIONS = [
    (
        "A1",
        None,
        "Recruitment Retention and Diversity",
        "Identification of the current situation in Derbyshire with regard to PS employment "
        "e.g. workforce numbers, trends, vacancies, issues. NB this cross-relates to B1",
        "Identification and documentation of key and common issues around Recruitment, "
        "Retention and Diversity.",
        "Scoped report\nMajor Recruitment & Retention issues identified\nPrioritised Action "
        "Plan developed based on common issues\nAction plan implemented by sub-group",
        "Cheryl Roberts",
        "Learning and Skills Council (Derbyshire)",
        "Cheryl Roberts/Jackie Hewlett-Davies",
        "Will have an initial outline for the next meeting – see attached arising from discussion",
        "",
        [],
    ),
    (
        "A2",
        None,
        "Recruitment Retention and Diversity",
        "Raise the profile and perceived value of the Public Sector making it both a preferred "
        "career option and a route to career progression particularly for under represented "
        "groups",
        "Identify existing work done by individual partners, e.g. The Ambassadors Scheme "
        "(Health and Social Care). Share these models with partners",
        "X number of shared, improved models developed and used by partners addressing issues "
        "raised in A1\nX PS organisations represented at X jobs fairs",
        "Jackie Hewlett-Davies",
        "Derbyshire Hospitals NHS Foundation Trust",
        "Cheryl Roberts/Jackie Hewlett-Davies",
        "",
        "",
        ["4"],
    ),
    (
        "B1",
        None,
        "Learning and Development",
        "Identification of the current situation in Derbyshire with regard to PS employee "
        "skills levels. This will tie in with A1 – EMB will be a useful contributor",
        "Identification and documentation of key and common issues around Learning and Development",
        "Scoped report\nTraining needs identified\nPrioritised Action plan revised based on "
        "common issues\nAction plan implemented by sub-group",
        None,
        "East Midlands Business",
        "East Midlands Business",
        "",
        "",
        [],
    ),
    (
        "B2",
        None,
        "Learning and Development",
        "The Leitch recommendations and the Skills Pledge across member organisations",
        "See B2 1.1 and B2 1.2",
        "",
        "Steve Morton",
        "University of Derby",
        "All Steering Group Members, Steve Morton to lead",
        "",
        "",
        [],
    ),
    (
        "B2 1.1",
        "B2",
        "Learning and Development",
        "To ensure all member organisations of the Public Sector Compacts can demonstrate their "
        "commitment to the Leitch recommendations on all employees being qualified to Level 2 "
        "by 2010",
        "Mapping current skills level (see above) to identify the extent of the challenge. "
        "Identify and promote access to relevant courses/training",
        "Strategy developed to allow members to develop awareness raising.",
        "Steve Morton",
        "University of Derby",
        "All Steering Group Members, Steve Morton to lead",
        "",
        "",
        [],
    ),
    (
        "B2 1.2",
        "B2",
        "Learning and Development",
        "To ensure that work of organisations who supply services to the Public Sector is "
        "thematic with developments within the sector.",
        "Share good practice across partnership with regard to procurement policies. Identify "
        "and promote access to relevant courses/training",
        "Awareness raising of the Skills Pledge developed amongst members",
        "Steve Morton",
        "University of Derby",
        "All Steering Group Members, Steve Morton to lead",
        "",
        "On going",
        [],
    ),
    (
        "B3",
        None,
        "Learning and Development",
        "Identify common skill areas to allow training and development programmes that meet the "
        "needs of the Public Sector as a whole. Ties in with A1 and A2 and B1.",
        "Common training needs identified through collation of individual TNA",
        "Gaps in provision identified and shared with providers and funders\nDevelopment of "
        "programmes to meet gaps\nShared knowledge of development and training opportunities",
        None,
        "East Midlands Business",
        "East Midlands Business",
        "",
        "",
        ["2.2"],
    ),
    (
        "B4",
        None,
        "Learning and Development",
        "Increased use and achievement of apprenticeships in the Public Sector",
        "Case studies identified. Feasibility of using apprenticeships explored. Barrier and "
        "solutions identified in Regional Skills project",
        "Mapping of current level of use in Derbyshire\nAgree percentage increase where "
        "appropriate",
        "Peter Jessop",
        "The Derbyshire Network",
        "Peter Jessop, Derbys Network",
        "",
        "",
        [],
    ),
    (
        "B5",
        None,
        "Learning and Development",
        "Leadership & Management Development",
        "Sharing of information and resources/facilities. Opportunities for Partners to work "
        "together through Compact Sub-Group",
        "Use of East Midlands Public Sector Compact website to signpost people to Leadership & "
        "Management – Development Strategies/Gaps/Solutions",
        None,
        None,
        "Sub-Group. Named lead?",
        "",
        "",
        [],
    ),
    (
        "C1",
        None,
        "Promotion of the PS Compact",
        "Promote partnership working within the public sector",
        "Action Plan agreed. Sub groups to prioritise action plan. 'e-bulletin' to be produced "
        "bi-monthly to include information about funding opportunities. Profiles of potential "
        "projects to address local employment needs and development issues prepared",
        "Agreement and implementation action plan\nReport to Steering Group\n'e-bulletin' "
        "produced and circulated\nX number of bids made through partnership when funding "
        "opportunities arrive",
        None,
        None,
        "Steering Group Members. Named lead?",
        "",
        "",
        [],
    ),
]

# date, place, status, reason, people present (by index in PEOPLE), apologies
MEETINGS = [
    (datetime.datetime(2007, 3, 13, 10), "Pride Park, Derby", "held", "", range(0, 12), []),
    (datetime.datetime(2007, 5, 15, 10), "University of Derby", "held", "", range(0, 9), [10]),
    (
        datetime.datetime(2007, 7, 17, 10),
        "County Hall, Matlock",
        "held",
        "",
        [0, 1, 2, 3, 5, 9, 11],
        [6, 8],
    ),
    (
        datetime.datetime(2007, 9, 18, 10),
        "Council House, Derby",
        "moved",
        "Clashed with the LSC regional conference.",
        [],
        [],
    ),
    (datetime.datetime(2007, 10, 2, 10), "Council House, Derby", "held", "", [0, 1, 5, 11], [3]),
    (
        datetime.datetime(2007, 11, 20, 10),
        "University of Derby",
        "cancelled",
        "Not quorate: too many apologies received.",
        [],
        [],
    ),
    (datetime.datetime(2008, 1, 22, 10), "University of Derby", "held", "", [0, 1, 11], [4, 7]),
    (
        datetime.datetime(2008, 4, 1, 10),
        "University of Derby",
        "held",
        "",
        [0, 1, 2, 3, 5, 11],
        [6, 10],
    ),
    (datetime.datetime(2008, 6, 10, 10), "Pride Park, Derby", "held", "", [0, 1, 3, 6, 8, 10], [2]),
    # Under the Members' Charter (from September 2008) attendance keeps falling: the
    # attendance report shows who meets the two-meetings rule. East Midlands Ambulance
    # Service comes to the launch meeting but signs only in November, so that meeting does
    # not count for it.
    (
        datetime.datetime(2008, 10, 14, 10),
        "Pride Park, Derby",
        "held",
        "",
        [0, 1, 3, 5, 6, 7, 8, 10, 11],
        [2],
    ),
    (
        datetime.datetime(2008, 12, 9, 10),
        "University of Derby",
        "held",
        "",
        [0, 1, 3, 6, 10, 11],
        [5, 8],
    ),
    (datetime.datetime(2009, 2, 10, 10), "County Hall, Matlock", "held", "", [0, 1, 3, 10], [6, 8]),
    (
        datetime.datetime(2009, 4, 21, 10),
        "University of Derby",
        "moved",
        "Clashed with the Easter school holidays.",
        [],
        [],
    ),
    (datetime.datetime(2009, 5, 12, 10), "University of Derby", "held", "", [0, 1, 11], [3, 10]),
    (
        datetime.datetime(2009, 7, 14, 10),
        "Council House, Derby",
        "cancelled",
        "Not quorate: too many apologies received.",
        [],
        [],
    ),
    (datetime.datetime(2009, 10, 13, 10), "Council House, Derby", "held", "", [0, 2], [1, 6]),
]

# moved meeting -> the meeting that took its place
MOVES = [
    (datetime.date(2007, 9, 18), datetime.date(2007, 10, 2)),
    (datetime.date(2009, 4, 21), datetime.date(2009, 5, 12)),
]

AGENDA = {
    datetime.date(2008, 4, 1): [
        "Interim Report to the Steering Group: review of the first year (Chris Donkin)",
        "Prioritisation, structure, funding and a members' charter",
        "Review of the action plan",
    ],
    datetime.date(2008, 6, 10): [
        "Findings of the review of the first year",
        "Revised terms of reference and the Statement of Annual Priorities 2008-09",
        "Proposed members' charter",
    ],
}

QUESTIONS = [
    "What do you consider has been the most successful aspect of Compact working over the last "
    "12 months ?",
    "What do you consider has been the least successful aspect of Compact working over the last "
    "12 months ? (i.e. what aspects of Compact working do you feel need attention ?)",
    "Do you feel that the Compact's activities are meeting the aims in the Terms of Reference ?",
    "What is your view of the Compact's Action Plan ? ... do you consider that the plan is "
    "effectively promoting activity that will meet the aims of the Compact ? ... are there any "
    "issues relating to design and implementation of the plan that you feel need attention ?",
    "Who (or which organisations) would you like to involve more actively in the future ? ... "
    "and how do you think this could be achieved ?",
    "What support would you like to see from the facilitating agency in the future ?",
]

ANSWERS = [
    [
        "Networking with HR colleagues",
        "Understanding more about partners' roles and objectives and identifying common ground.",
        "I find it hard to say anything 'successful' and influential has happened",
        "To be honest not sure there have been any.",
    ],
    [
        "There have been steering group meetings but not action groups except for one "
        "Leadership and Management meeting.",
        "Lack of focus during meetings, unclear vision and very little progress against "
        "original aims.",
        "Meetings are usually moved and/or cancelled which makes regular attendance impossible.",
        "Not the right people (attending).",
    ],
    [
        "No",
        "No. I am not familiar with the terms of reference.",
        "No, but the Terms of Reference still hold good.",
    ],
    [
        "I think it's a good start but needs focus on some outputs that the compact can deliver on",
        "Stakeholders are already working on these issues. It's not getting anywhere. Where "
        "are the outputs?",
        "Probably it ought to spring from action groups and be ratified by the steering group.",
    ],
    [
        "Employers need to see demonstrable benefits.",
        "Sector Skills Councils",
        "More HR professional from County and City councils, as well as those from the Districts",
    ],
    [
        "The facilitating agency can only do so much. Some commitment is needed from ALL group "
        "members and organisations.",
        "Minutes, updating website, possible e-bulletin, general chasing.",
        "Give the Compact drive and focus attention and activity, ensuring the right people "
        "get involved.",
    ],
]

CHARTER_TEXT = (
    "PUBLIC SECTOR COMPACT MEMBERS CHARTER: A CHARTER FOR CHANGE\n\n"
    "This charter outlines specific commitments that Public Sector Compact members have agreed "
    "to sign up to and support. By signing up to this Charter, members agree to work in "
    "partnership in order to effectively develop and share good practice that can be integrated "
    "into the day to day practices of individual organisations.\n\n"
    "In order to ensure that this is a meaningful agreement and that it is a charter for change, "
    "Public Sector organisations are requested to secure the formal endorsement from their non - "
    "executive management committees and boards.\n\n"
    "FROM COMMITMENT TO IMPLEMENTATION: A PARTNERSHIP APPROACH\n\n"
    "To ensure the successful implementation of the PSC Charter, a Public Sector Compact "
    "Statement of Annual Priorities will detail the activities to be taken forward collectively "
    "by the membership in collaboration.\n\n"
    "A pre-requisite to membership of the Steering Group is the organisation's formal, written "
    "commitment to the key principles of the Compact. Members from the participating "
    "organisations should be from the Senior Executive Team or their nominated deputies. "
    "Membership will be for a minimum period of 12 months and members or their nominated "
    "deputies will be expected to attend a minimum of 2 meetings per year."
)

CHARTER_LAUNCH = datetime.date(2008, 9, 1)

# organisation, senior representative, deputy, board endorsed, joined
SIGNATORIES = [
    ("University of Derby", "Steve Morton", None, datetime.date(2008, 9, 24), CHARTER_LAUNCH),
    ("Derby City Council", "Mark Edwards", None, datetime.date(2008, 10, 7), CHARTER_LAUNCH),
    (
        "Derbyshire County Council",
        "Elizabeth Wilson",
        None,
        datetime.date(2008, 10, 14),
        CHARTER_LAUNCH,
    ),
    (
        "Derbyshire Hospitals NHS Foundation Trust",
        "Jackie Hewlett-Davies",
        "Cate Hollinshead",
        datetime.date(2008, 9, 30),
        CHARTER_LAUNCH,
    ),
    (
        "East Midlands Ambulance Service",
        "Anne Marie-Chatwin",
        None,
        None,
        datetime.date(2008, 11, 18),
    ),
    (
        "South Derbyshire District Council",
        "Kerry Gulliver",
        None,
        datetime.date(2008, 11, 4),
        CHARTER_LAUNCH,
    ),
    ("Connexions Derbyshire", "Beverley Smith", None, datetime.date(2008, 10, 1), CHARTER_LAUNCH),
    (
        "Learning and Skills Council (Derbyshire)",
        "Cheryl Roberts",
        "Eryl Prentice",
        None,
        CHARTER_LAUNCH,
    ),
]

DOCUMENTS = [
    (
        "Review of the Derbyshire Public Sector Compact: the first twelve months (May 2008)",
        Document.Kind.REPORT,
        Document.Visibility.PUBLIC,
        datetime.date(2008, 5, 30),
        None,
        "Review of the Derbyshire Public Sector Compact, Chris Donkin (DonkinITEX), May 2008.\n\n"
        "Recommendations: secure the commitment of the larger public sector employers through a "
        "Members' Charter; review the Terms of Reference and underpin them with a statement of "
        "annual priorities; support the Steering Group with task and finish sub groups formed to "
        "address the annual priorities; engage a facilitating agency able to make a professional "
        "input; cross reference all documentation to the purpose of the Compact.\n",
    ),
    (
        "Interim Report to the Steering Group (1 April 2008)",
        Document.Kind.REPORT,
        Document.Visibility.MEMBERS,
        datetime.date(2008, 3, 31),
        datetime.date(2008, 4, 1),
        "Interim Report to the Steering Group, 1st April 2008. Email survey of Steering Group "
        "members: 36 emails sent, 10 responses, 7 completed questionnaires processed.\n",
    ),
    (
        "Minutes: Steering Group 1 April 2008",
        Document.Kind.MINUTES,
        Document.Visibility.MEMBERS,
        datetime.date(2008, 4, 15),
        datetime.date(2008, 4, 1),
        "Minutes of the Steering Group, 1st April 2008. The Chair summarised the issues: "
        "prioritisation (a limited number of priorities, e.g. 3); structure; funding and "
        "resources; leadership and organisations opting to become members through a Charter.\n",
    ),
    (
        "Steering group contact list",
        Document.Kind.OTHER,
        Document.Visibility.STEERING,
        datetime.date(2008, 6, 10),
        None,
        "Steering Group members and nominated deputies (contact details held by DDEP).\n",
    ),
]


def _person(full_name, organisation):
    email = f"{slugify(full_name).replace('-', '.')}@derbyshire-compact.example"
    user, _created = demo_account(
        email,
        full_name=full_name,
        profile={"organisation": organisation, "job_title": "Compact representative"},
    )
    return user


def _placeholder(number):
    email = f"steering.member{number:02d}@derbyshire-compact.example"
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": f"Registered steering group member {number}"}
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def _load_good_practice_event(compact, orgs):
    """The review recommends "at least one major event" to re-energise the compact and
    share good practice (seed 004): one bookable event, run through the events app."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from events.models import Event, PeoplePlanTheme

    london = ZoneInfo("Europe/London")
    starts = dt.datetime(2027, 2, 10, 9, 30, tzinfo=london)
    event, _ = Event.objects.update_or_create(
        slug="derbyshire-compact-good-practice-apprenticeships",
        defaults={
            "title": "Derbyshire Public Sector Compact: apprenticeships good-practice event",
            "organiser": orgs["East Midlands Councils"],
            "theme": PeoplePlanTheme.GROWING_FOR_THE_FUTURE,
            "summary": "Compact members share what worked in raising apprenticeship numbers "
            "across the county's public sector, with a Skills Pledge briefing.",
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=3),
            "venue": "Pride Park Stadium, Derby",
            "capacity": 60,
            "booking_opens_at": dt.datetime(2026, 11, 1, 9, 0, tzinfo=london),
            "booking_closes_at": starts - dt.timedelta(days=1),
            "status": Event.Status.PUBLISHED,
            "published_at": dt.datetime(2026, 11, 1, 9, 0, tzinfo=london),
        },
    )
    compact.good_practice_events.add(event)


def next_meeting_day_after(today: datetime.date) -> datetime.date:
    """Three weeks on, moved to the next working day, and past the Christmas break
    (24 December to 2 January): a demo loaded on 4 December once put it on Christmas Day."""
    day = today + datetime.timedelta(days=21)
    while True:
        christmas = (day.month == 12 and day.day >= 24) or (day.month == 1 and day.day <= 2)
        if christmas or day.weekday() >= 5:
            day += datetime.timedelta(days=1)
        else:
            return day


def current_charter_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The charter in force today: renewed every two years from 1 September, as the
    2008–2010 charter was."""
    start_year = today.year if today >= datetime.date(today.year, 9, 1) else today.year - 1
    start_year -= (start_year - 2008) % 2
    return datetime.date(start_year, 9, 1), datetime.date(start_year + 2, 8, 31)


def _load_current_year(*, compact, steering, memberships, tz):
    """A current year running beside the 2007–2010 history: the charter renewed for the
    present two years by the organisations on the steering group (so they are members
    today, not "Renewal overdue"), and steering group meetings held this year with their
    attendance (the attendance report and compact health have a current year)."""
    today = timezone.localdate()
    starts_on, ends_on = current_charter_period(today)
    charter, _ = CharterVersion.objects.update_or_create(
        compact=compact,
        starts_on=starts_on,
        defaults={
            "title": "Public Sector Compact – Members Charter",
            "ends_on": ends_on,
            "text": CHARTER_TEXT,
        },
    )
    signed = set()
    for membership in memberships:
        organisation = membership.organisation
        try:
            services.check_eligible(compact=compact, organisation=organisation)
        except services.CompactError:
            continue  # e.g. a business body: it sits on the group but cannot sign
        if organisation.pk in signed:
            continue  # its first person on the group is its senior representative
        signed.add(organisation.pk)
        CharterSignatory.objects.update_or_create(
            charter=charter,
            organisation=organisation,
            defaults={
                "signatory_name": "Chief Executive",
                "joined_on": starts_on,
                "senior_representative": membership.person,
                "renewal_due_on": ends_on,
            },
        )
    held_days = [
        day
        for day in (
            datetime.date(today.year, 3, 10),
            datetime.date(today.year, 6, 9),
            datetime.date(today.year, 9, 15),
        )
        if day < today
    ]
    for number, day in enumerate(held_days):
        meeting, _ = Meeting.objects.update_or_create(
            group=steering,
            starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)), tz),
            defaults={"place": "County Hall, Matlock", "status": "held", "is_public": True},
        )
        # Attendance recovers under the renewed charter: most members, a few apologies.
        for index, membership in enumerate(memberships):
            status = "apologies" if (index + number) % 5 == 0 else "present"
            Attendance.objects.update_or_create(
                meeting=meeting,
                person=membership.person,
                defaults={"organisation": membership.organisation, "status": status},
            )


def load(stdout=None):
    orgs = {o.name: o for o in Organisation.objects.all()}
    for name, sector in EXTRA_ORGANISATIONS:
        orgs[name], _ = Organisation.objects.update_or_create(
            slug=slugify(name),
            defaults={"name": name, "sector": sector, "region": Region.EAST_MIDLANDS},
        )
    compact, _ = Compact.objects.update_or_create(
        slug="derbyshire",
        defaults={
            "name": "Derbyshire Public Sector Compact",
            "area": "Derby City and Derbyshire",
            "purpose": PURPOSE,
            "established_on": datetime.date(2007, 2, 20),
            "facilitating_agency": orgs["Derby and Derbyshire Economic Partnership (DDEP)"],
        },
    )
    compact.vcs_bodies.set([orgs["Derbyshire Learning and Development Consortium (DLDC)"]])

    # Terms of reference, original and revised, with numbered aims.
    terms = {}
    for spec in TERMS:
        version = spec["version"]
        terms[version], _ = TermsOfReference.objects.update_or_create(
            compact=compact,
            version=version,
            defaults={
                **{k: v for k, v in spec.items() if k != "version"},
                "purpose": "The purpose of the Derbyshire Public Sector Compact is " + PURPOSE,
                "steering_group_role": STEERING_ROLE,
                "vcs_participation": VCS,
                "equality_and_diversity": EQUALITY,
            },
        )
        by_number = {}
        for order, (number, text) in enumerate(AIMS, start=1):
            parent = by_number.get(number.split(".")[0]) if "." in number else None
            by_number[number], _ = Aim.objects.update_or_create(
                terms=terms[version],
                number=number,
                defaults={"text": text, "order": order, "parent": parent},
            )
    revised = terms[2]

    # Statement of Annual Priorities 2008-09, bound to the revised terms.
    statement, _ = PrioritiesStatement.objects.update_or_create(
        compact=compact,
        year="2008-09",
        defaults={
            "starts_on": datetime.date(2008, 7, 1),
            "ends_on": datetime.date(2009, 6, 30),
            "terms": revised,
        },
    )
    priorities = []
    for order, (title, aim_numbers, comments) in enumerate(PRIORITIES, start=1):
        priority, _ = Priority.objects.update_or_create(
            statement=statement, order=order, defaults={"title": title, "comments": comments}
        )
        priority.aims.set(Aim.objects.filter(terms=revised, number__in=aim_numbers))
        priorities.append(priority)
    # The secretariat's draft of the next year's statement (issue 19): on its pages only
    # (/compacts/derbyshire/secretariat/priorities/) until it is published.
    draft, _ = PrioritiesStatement.objects.update_or_create(
        compact=compact,
        year="2009-10",
        defaults={
            "starts_on": datetime.date(2009, 7, 1),
            "ends_on": datetime.date(2010, 6, 30),
            "terms": revised,
            "status": PrioritiesStatement.Status.DRAFT,
        },
    )
    draft_priority, _ = Priority.objects.update_or_create(
        statement=draft,
        order=1,
        defaults={
            "title": "To share workforce data between the county's public sector employers",
            "comments": "Draft for the steering group's July meeting.",
        },
    )
    draft_priority.aims.set(Aim.objects.filter(terms=revised, number__in=["1", "3"]))

    # People, roles and the steering group.
    people = [_person(name, orgs[org]) for name, org, _role in PEOPLE]
    # Editing roles come through the service, which makes the secretariat and the steering
    # group members admin staff in the "Compact secretariat" group (scoped to this
    # compact). The demo refreshes that group's permissions, so models added since the
    # last load are editable too.
    services.editors_group().permissions.add(
        *Permission.objects.filter(content_type__app_label="compact")
    )
    secretariat = User.objects.filter(email="elisabeth.secretariat@ddep.example").first()
    if secretariat is not None:
        services.role_grant(compact=compact, user=secretariat, role=CompactRole.Role.SECRETARIAT)
    for person in people:
        services.role_grant(compact=compact, user=person, role=CompactRole.Role.STEERING)
    priya = User.objects.filter(email="priya.member@example.com").first()
    if priya is not None:
        CompactRole.objects.get_or_create(
            compact=compact, user=priya, role=CompactRole.Role.REPRESENTATIVE
        )
    steering, _ = Group.objects.update_or_create(
        compact=compact,
        name="Steering Group",
        defaults={"kind": Group.Kind.STEERING, "starts_on": datetime.date(2007, 2, 20)},
    )
    memberships = []
    for person, (_name, org, role) in zip(people, PEOPLE, strict=True):
        membership, _ = GroupMembership.objects.update_or_create(
            group=steering,
            person=person,
            ends_on=None,
            defaults={
                "organisation": orgs[org],
                "role": role,
                "starts_on": datetime.date(2007, 3, 13),
            },
        )
        memberships.append(membership)
    for name, priority, chair in [
        ("Apprenticeships task and finish group", priorities[1], people[11]),
        ("Good Practice Events task and finish group", priorities[2], people[0]),
    ]:
        sub, _ = Group.objects.update_or_create(
            compact=compact,
            name=name,
            defaults={
                "kind": Group.Kind.TASK_AND_FINISH,
                "priority": priority,
                "reports_to": steering,
                "starts_on": datetime.date(2008, 9, 1),
            },
        )
        GroupMembership.objects.update_or_create(
            group=sub,
            person=chair,
            ends_on=None,
            defaults={
                "organisation": chair.profile.organisation,
                "role": "chair",
                "starts_on": datetime.date(2008, 9, 1),
            },
        )

    # The action plan of the first year (Appendix III): no timescales, few leads, few aims.
    plan, _ = ActionPlan.objects.update_or_create(
        compact=compact,
        title="Derbyshire Public Sector Compact Action Plan",
        defaults={"group": steering, "adopted_on": datetime.date(2007, 7, 17)},
    )
    by_name = {p.full_name: p for p in people}
    actions = {}
    for order, row in enumerate(ACTIONS, start=1):
        (code, parent, theme, objective, what, outcomes, person, org, note, monitoring,
         timescale, aim_numbers) = row  # fmt: skip
        action, _ = Action.objects.update_or_create(
            plan=plan,
            code=code,
            defaults={
                "parent": actions.get(parent),
                "order": order,
                "theme": theme,
                "objective": objective,
                "what_will_be_done": what,
                "outcomes": outcomes,
                "lead_person": by_name.get(person),
                "lead_organisation": orgs.get(org),
                "lead_note": note,
                "monitoring": monitoring,
                "timescale_note": timescale,
                "priority": priorities[1] if code == "B4" else None,
            },
        )
        action.aims.set(Aim.objects.filter(terms=revised, number__in=aim_numbers))
        actions[code] = action
    # The plan dates from July 2007; its rows have not been updated since early 2008.
    Action.objects.filter(plan=plan).update(
        created_at=timezone.make_aware(datetime.datetime(2007, 7, 17, 12))
    )
    for code, author, on, status, percent, note in [
        (
            "A1",
            "Cheryl Roberts",
            datetime.date(2008, 1, 22),
            "on_track",
            10,
            "Initial outline tabled at the Steering Group; see attached arising from discussion.",
        ),
        (
            "B4",
            "Peter Jessop",
            datetime.date(2008, 4, 1),
            "at_risk",
            5,
            "Case studies being gathered through the Regional Skills project; no sub-group yet.",
        ),
    ]:
        ProgressUpdate.objects.update_or_create(
            action=actions[code],
            on=on,
            defaults={
                "author": by_name[author],
                "status": status,
                "percent_complete": percent,
                "note": note,
            },
        )
        Action.objects.filter(pk=actions[code].pk).update(status=status, percent_complete=percent)

    # Steering group meetings: attendance falls, meetings are moved and cancelled.
    tz = timezone.get_current_timezone()
    meetings = {}
    for starts, place, status, reason, present, apologies in MEETINGS:
        meeting, _ = Meeting.objects.update_or_create(
            group=steering,
            starts_at=timezone.make_aware(starts, tz),
            defaults={"place": place, "status": status, "status_reason": reason},
        )
        meetings[starts.date()] = meeting
        for order, title in enumerate(AGENDA.get(starts.date(), []), start=1):
            AgendaItem.objects.update_or_create(
                meeting=meeting, order=order, defaults={"title": title}
            )
        for index in present:
            Attendance.objects.update_or_create(
                meeting=meeting,
                person=people[index],
                defaults={"organisation": memberships[index].organisation, "status": "present"},
            )
        for index in apologies:
            Attendance.objects.update_or_create(
                meeting=meeting,
                person=people[index],
                defaults={"organisation": memberships[index].organisation, "status": "apologies"},
            )
    for moved_day, new_day in MOVES:
        moved = meetings[moved_day]
        moved.moved_to = meetings[new_day]
        moved.save(update_fields=["moved_to"])
    # The next steering group meeting, open to the public: always a few weeks ahead, on
    # a working day outside the Christmas break.
    next_meeting_day = next_meeting_day_after(timezone.localdate())
    upcoming = Meeting.objects.filter(
        group=steering, status="scheduled", starts_at__date__gte=timezone.localdate()
    ).first() or Meeting(group=steering)
    upcoming.starts_at = timezone.make_aware(
        datetime.datetime.combine(next_meeting_day, datetime.time(10)), tz
    )
    upcoming.place = "Pride Park, Derby"
    upcoming.status = "scheduled"
    upcoming.is_public = True
    upcoming.save()

    # Members' Charter 2008–2010 and its signatories.
    charter, _ = CharterVersion.objects.update_or_create(
        compact=compact,
        starts_on=datetime.date(2008, 9, 1),
        defaults={
            "title": "Public Sector Compact – Members Charter",
            "ends_on": datetime.date(2010, 8, 31),
            "text": CHARTER_TEXT,
        },
    )
    for org_name, rep, deputy, endorsed, joined in SIGNATORIES:
        services.check_eligible(compact=compact, organisation=orgs[org_name])
        CharterSignatory.objects.update_or_create(
            charter=charter,
            organisation=orgs[org_name],
            defaults={
                "signatory_name": "Chief Executive",
                "joined_on": joined,
                "board_endorsed_on": endorsed,
                "senior_representative": by_name[rep],
                "deputy": by_name.get(deputy),
                "renewal_due_on": charter.ends_on,
            },
        )

    _load_current_year(compact=compact, steering=steering, memberships=memberships, tz=tz)

    # The review survey: six questions emailed to 36 members, 10 replies, 7 usable.
    survey, _ = Survey.objects.update_or_create(
        compact=compact,
        title="Review of the first year: email survey of Steering Group members",
        defaults={
            "group": steering,
            "introduction": "Chris Donkin of DonkinITEX asked all members of the Steering "
            "Group for a response to the following six questions.",
            "sent_on": datetime.date(2008, 3, 3),
            "closes_on": datetime.date(2008, 3, 24),
        },
    )
    questions = []
    for order, text in enumerate(QUESTIONS, start=1):
        question, _ = SurveyQuestion.objects.update_or_create(
            survey=survey, order=order, defaults={"text": text, "kind": "text"}
        )
        questions.append(question)
    recipients = people + [_placeholder(n) for n in range(len(people) + 1, 37)]
    for index, person in enumerate(recipients):
        replied = index < 10
        invitation, _ = SurveyInvitation.objects.update_or_create(
            survey=survey,
            person=person,
            defaults={
                "responded_on": datetime.date(2008, 3, 10) if replied else None,
                "usable": index < 7 or not replied,
            },
        )
        if index < 7:
            for q_index, question in enumerate(questions):
                answers = ANSWERS[q_index]
                SurveyAnswer.objects.update_or_create(
                    invitation=invitation,
                    question=question,
                    defaults={"text": answers[index % len(answers)]},
                )

    # Documents (stored under MEDIA_ROOT, served through the permission-checked view).
    for title, kind, visibility, published, meeting_day, text in DOCUMENTS:
        document = Document.objects.filter(compact=compact, title=title).first()
        if document is None:
            document = Document(compact=compact, title=title)
            data = text.encode()
            document.original_name = f"{slugify(title)[:80]}.txt"
            document.content_type = "text/plain"
            document.size = len(data)
            document.file.save(document.original_name, ContentFile(data), save=False)
        document.kind = kind
        document.visibility = visibility
        document.published_on = published
        document.meeting = meetings.get(meeting_day)
        document.save()

    # The e-bulletin (action C1): one issue in the public archive.
    bulletin, _ = Bulletin.objects.update_or_create(
        compact=compact,
        number=1,
        defaults={
            "title": "A new start for the Derbyshire Public Sector Compact",
            "status": Bulletin.Status.SENT,
            "sent_at": timezone.make_aware(datetime.datetime(2008, 9, 15, 9), tz),
        },
    )
    for order, (title, body) in enumerate(
        [
            (
                "Annual priorities for 2008-09 agreed",
                "The Steering Group agreed three priorities: the Skills Pledge, apprenticeships "
                "in the public sector, and a series of Good Practice Events.",
            ),
            (
                "Members' Charter 2008–2010",
                "Public sector organisations in Derby City and Derbyshire are invited to sign "
                "the Members' Charter, endorsed by their boards, and to nominate a senior "
                "representative and deputy.",
            ),
            (
                "Task and finish groups",
                "Two task and finish groups, on apprenticeships and on Good Practice Events, "
                "will report to the Steering Group.",
            ),
        ],
        start=1,
    ):
        NewsItem.objects.update_or_create(
            bulletin=bulletin, order=order, defaults={"title": title, "body": body}
        )
    # What the issue announced as coming up when it was sent: the charter launch meeting,
    # open to the public ("a special event to launch the charter", seed 004).
    launch = meetings[datetime.date(2008, 10, 14)]
    if not launch.is_public:
        launch.is_public = True
        launch.save(update_fields=["is_public"])
    BulletinListing.objects.update_or_create(
        bulletin=bulletin,
        order=1,
        defaults={
            "kind": BulletinListing.Kind.MEETING,
            "title": str(steering),
            "starts_at": launch.starts_at,
            "place": launch.place,
            "path": launch.get_absolute_url(),
        },
    )
    for person in people:
        BulletinSubscription.objects.get_or_create(compact=compact, user=person)

    _load_good_practice_event(compact, orgs)

    if stdout:
        stdout.write(
            f"compact: {compact.name}: {compact.terms.count()} terms versions, "
            f"{plan.actions.count()} actions, {Meeting.objects.filter(group=steering).count()} "
            f"meetings, {charter.signatories.count()} charter signatories, "
            f"{survey.invitations.count()} survey invitations"
        )
