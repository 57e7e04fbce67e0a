"""Demo content for the career resource hub, from seed 001 (the HPMA London Academy's
"Realising My Potential" hub). Idempotent: every row is found by its natural key and
updated. The ten functional areas are created by the core demo; here they get their
longer descriptions.

Academy programmes on the pathway link to the catalogue by slug when the programme
exists. The programmes demo runs after this one, so on a fresh database the links appear
on the next run of ``load_demo`` (or call ``link_programmes()``); until then the
opportunity shows its title without a link.
"""

from django.utils.text import slugify

from talenthub.core.choices import CipdGrade
from talenthub.core.models import FunctionalArea

from .models import (
    Competency,
    CompetencyIndicator,
    DevelopmentOpportunity,
    Framework,
    HubArticle,
    PathwayLevel,
    PathwayRole,
    PathwayStep,
    ProgrammeSelectionFramework,
    WheelItem,
)

FUNCTIONAL_AREA_DESCRIPTIONS = {
    "HR Business Partnering": (
        "HR and OD Business Partners work alongside the leaders of a service, directorate or "
        "care group to shape and deliver its people strategy: workforce planning, "
        "organisational change, performance, culture and the people side of service "
        "improvement.\n\n"
        "It is a generalist role. Many Business Partners arrive after working in one or more "
        "specialist areas such as employee relations, recruitment or organisational "
        "development, and the aspirant Business Partner talent pool helps people prepare for "
        "the step."
    ),
    "Employee Relations": (
        "Employee Relations specialists advise managers and staff on conduct, capability, "
        "grievance, sickness absence and organisational change, and work in partnership with "
        "trade unions.\n\n"
        "The work is central to a just and learning culture: treating people fairly and "
        "consistently, learning from cases and reducing the disproportionate experience of "
        "formal processes by staff from black, Asian and minority ethnic backgrounds."
    ),
    "HR Policy": (
        "HR Policy teams write, consult on and keep up to date the policies and procedures "
        "that govern employment, from flexible working to pay and terms and conditions, "
        "interpreting national agreements and employment law for their organisation.\n\n"
        "Good policy work means checking every policy for its effect on equality and making "
        "sure it is understood and applied consistently."
    ),
    "Learning & Development": (
        "Learning and Development teams design and deliver the learning that helps staff do "
        "their jobs well and grow: induction, statutory and mandatory training, "
        "apprenticeships, management and leadership development and continuing professional "
        "development.\n\n"
        "Roles range from coordinating programmes to leading an organisation's learning "
        "strategy and its partnerships with universities and academies."
    ),
    "Medical Staffing": (
        "Medical Staffing teams recruit, contract, roster and support doctors, from doctors "
        "in training on rotation to consultants, working with medical education, the "
        "deaneries and clinical leaders.\n\n"
        "It is a specialist area with its own terms and conditions and regulation, and "
        "experience here is valued in operational and business partnering roles."
    ),
    "Recruitment & Resourcing": (
        "Recruitment and Resourcing teams attract, select and onboard the workforce, "
        "including international recruitment and temporary staffing through banks and "
        "agencies.\n\n"
        "Fair, inclusive selection, with diverse interview panels and clear criteria, is "
        "one of the most direct ways the profession can make the workforce representative "
        "of the communities it serves."
    ),
    "Organisational Development": (
        "Organisational Development practitioners help organisations work better: culture "
        "and values, team development, change, leadership development, staff engagement and "
        "wellbeing, and acting on the staff survey.\n\n"
        "OD draws on coaching, facilitation and behavioural science; many practitioners "
        "move on to OD Business Partner, Head of OD and Deputy Director roles."
    ),
    "Equality Diversity and Inclusion": (
        "Equality, Diversity and Inclusion specialists lead the organisation's work to be "
        "fair and inclusive for staff and for the people it serves: the Workforce Race "
        "Equality Standard and disability standard, staff networks, inclusive recruitment "
        "and the action plans that follow.\n\n"
        "EDI is everyone's job in HR and OD, and the specialist role supports leaders to "
        "make and keep their pledges."
    ),
    "Workforce Intelligence": (
        "Workforce Intelligence teams turn workforce data into insight: establishment and "
        "vacancy reporting, turnover and sickness analysis, workforce planning and the "
        "equality data behind the organisation's action plans.\n\n"
        "Analytical skills here are in growing demand as organisations plan their workforce "
        "across systems and regions."
    ),
    "Occupational Health": (
        "Occupational Health teams keep staff healthy and well at work: pre-employment "
        "health checks, immunisation, management referrals, reasonable adjustments and "
        "wellbeing services.\n\n"
        "Teams bring together clinicians, advisers and administrators and work closely "
        "with employee relations and organisational development."
    ),
}

LEVEL_SUMMARIES = {
    1: "Entry and operational roles: where most people start, including apprentices.",
    2: "Advisory and specialist roles: advising managers and leading on a specialism.",
    3: "Senior specialists, managers and Business Partners.",
    4: "Heads of HR and OD, Deputy Directors and the Chief People Officer.",
}

# order (from the entry step up), level, salary bands, roles
PATHWAY_STEPS = [
    (
        1,
        1,
        "Band 2–3",
        [
            "HR Apprentice",
            "HR Assistant",
            "Recruitment Assistant",
            "Medical Staffing Assistant",
        ],
    ),
    (
        2,
        1,
        "Band 4",
        [
            "HR Administrator",
            "Recruitment Officer",
            "Learning and Development Coordinator",
            "Workforce Information Officer",
        ],
    ),
    (
        3,
        2,
        "Band 5",
        [
            "HR Adviser",
            "Recruitment Adviser",
            "Medical Staffing Officer",
            "Workforce Information Analyst",
        ],
    ),
    (
        4,
        2,
        "Band 6",
        [
            "Senior HR Adviser",
            "Employee Relations Adviser",
            "OD Practitioner",
            "Medical Staffing Manager",
        ],
    ),
    (
        5,
        3,
        "Band 7",
        [
            "HR Business Partner",
            "HR Manager",
            "Learning and Development Manager",
            "Workforce Intelligence Manager",
        ],
    ),
    (6, 3, "Band 8a", ["Senior HR Business Partner", "OD Business Partner", "Head of Resourcing"]),
    (
        7,
        4,
        "Band 8b–8c",
        ["Head of HR", "Head of OD", "Head of Employee Relations", "Associate Director of HR"],
    ),
    (8, 4, "Band 8d–9", ["Deputy Director of HR", "Deputy Director of Workforce and OD"]),
    (9, 4, "Very senior manager (VSM)", ["Chief People Officer", "Director of Workforce"]),
]

ACADEMY, NATIONAL, CIPD = (
    DevelopmentOpportunity.Kind.ACADEMY,
    DevelopmentOpportunity.Kind.NATIONAL,
    DevelopmentOpportunity.Kind.CIPD,
)

# level -> [(kind, title, programme slug or CIPD grade)]
OPPORTUNITIES = {
    1: [
        (
            ACADEMY,
            "HPMA London Academy core programme",
            "hpma-london-academy-core-programme-2021-22",
        ),
        (NATIONAL, "Edward Jenner Programme (NHS Leadership Academy)", ""),
        (CIPD, "", CipdGrade.FOUNDATION),
    ],
    2: [
        (
            ACADEMY,
            "HPMA London Academy core programme",
            "hpma-london-academy-core-programme-2021-22",
        ),
        (ACADEMY, "Aspirant Business Partner talent pool", "aspirant-business-partner-talent-pool"),
        (NATIONAL, "Mary Seacole Programme (NHS Leadership Academy)", ""),
        (CIPD, "", CipdGrade.ASSOCIATE),
    ],
    3: [
        (
            ACADEMY,
            "HPMA London Academy core programme",
            "hpma-london-academy-core-programme-2021-22",
        ),
        (ACADEMY, "ASPIRE programme", "aspire-strategic-hr-and-od-business-partner-programme"),
        (ACADEMY, "Aspirant Deputy Director talent pool", "aspirant-deputy-director-talent-pool"),
        (NATIONAL, "Rosalind Franklin Programme (NHS Leadership Academy)", ""),
        (CIPD, "", CipdGrade.CHARTERED_MEMBER),
    ],
    4: [
        (ACADEMY, "Aspirant Deputy Director talent pool", "aspirant-deputy-director-talent-pool"),
        (ACADEMY, "London Deputy Directors of HR network", ""),
        (NATIONAL, "Nye Bevan Programme (NHS Leadership Academy)", ""),
        (CIPD, "", CipdGrade.CHARTERED_MEMBER),
        (CIPD, "", CipdGrade.CHARTERED_FELLOW),
    ],
}

FRAMEWORKS = [
    (
        "Core competency framework",
        Framework.Kind.CORE,
        "The key competencies of every HR and OD role, at four levels of seniority.",
        "The core framework describes the competency requirements of all HR and OD roles "
        "at four levels of seniority and can be used with the CIPD Profession Map. Use it "
        "in your career conversation, in your personal development plan and in selection.",
    ),
    (
        "Aspirant Business Partner framework",
        Framework.Kind.BUSINESS_PARTNER,
        "What is expected of people preparing for an HR or OD Business Partner role.",
        "Developed for the aspirant Business Partner talent pool and used in selection and "
        "development for it.",
    ),
    (
        "Aspirant Deputy Director framework",
        Framework.Kind.DEPUTY_DIRECTOR,
        "What is expected of people preparing for a Deputy Director of HR or Workforce role.",
        "Developed for the aspirant Deputy Director talent pool and used in selection and "
        "development for it.",
    ),
]

# framework name -> [(competency, description, [level 1, level 2, level 3, level 4])]
COMPETENCIES = {
    "Core competency framework": [
        (
            "Professional knowledge and expertise",
            "Knowing employment practice and law and applying it well.",
            [
                "Follows policies and procedures accurately\nKnows where to find guidance",
                "Gives sound advice on policy and employment law\nKeeps their knowledge current",
                "Interprets complex cases and legislation\nShapes policy from experience",
                "Sets professional standards for the function\nAnticipates changes in law",
            ],
        ),
        (
            "Relationships and influence",
            "Building trust and influencing with integrity.",
            [
                "Builds good working relationships with colleagues and managers",
                "Influences managers to follow good practice\nWorks well with trade unions",
                "Influences senior leaders and challenges constructively",
                "Influences at board and system level\nBuilds partnerships across organisations",
            ],
        ),
        (
            "Inclusive and compassionate leadership",
            "Treating everyone fairly and helping everyone belong.",
            [
                "Treats everyone with respect\nSpeaks up when something is not right",
                "Spots and challenges bias in processes they advise on",
                "Leads teams where everyone belongs\nUses equality data to act",
                "Holds the organisation to account for inclusion\nMakes and keeps public pledges",
            ],
        ),
        (
            "Using data and evidence",
            "Turning workforce information into decisions.",
            [
                "Records data accurately and on time",
                "Uses reports to spot trends and advise managers",
                "Analyses workforce data to build a case for change",
                "Uses evidence to set the people strategy and measure its impact",
            ],
        ),
        (
            "Change and improvement",
            "Improving services and helping people through change.",
            [
                "Suggests improvements to how the team works",
                "Supports managers through organisational change",
                "Leads change programmes and service redesign",
                "Leads culture change across the organisation and its system",
            ],
        ),
    ],
    "Aspirant Business Partner framework": [
        (
            "Strategic business partnering",
            "Understanding the service and shaping its people plan.",
            [
                "Understands how their service is organised and funded",
                "Links people issues to the service's objectives",
                "Co-produces the people plan with service leaders",
                "Shapes the organisation's strategy through the people agenda",
            ],
        ),
        (
            "Influencing senior leaders",
            "Being a trusted, challenging adviser.",
            [
                "Presents advice clearly to managers",
                "Adapts their approach to different audiences",
                "Challenges senior leaders with evidence and confidence",
                "Is sought out by executives for advice",
            ],
        ),
        (
            "Coaching and developing others",
            "Growing managers' people capability.",
            [
                "Shares what they know with colleagues",
                "Coaches managers through people issues",
                "Develops managers' capability across a directorate",
                "Builds a coaching culture",
            ],
        ),
        (
            "Commercial and financial awareness",
            "Understanding money, productivity and workforce cost.",
            [
                "Understands pay costs and budgets in their area",
                "Advises on workforce costs and temporary staffing spend",
                "Builds business cases with workforce and financial data",
                "Balances quality, workforce and financial sustainability",
            ],
        ),
    ],
    "Aspirant Deputy Director framework": [
        (
            "Strategic leadership",
            "Setting direction and leading the function.",
            [
                "Understands the organisation's strategy",
                "Translates strategy into team plans",
                "Leads a function's strategy and delivery",
                "Sets the workforce strategy with the executive team",
            ],
        ),
        (
            "System working",
            "Leading across organisational boundaries.",
            [
                "Knows the partners their organisation works with",
                "Works with colleagues in partner organisations",
                "Leads joint work across an integrated care system",
                "Shapes regional and national workforce work",
            ],
        ),
        (
            "Leading inclusive cultures",
            "Making inclusion the way the organisation works.",
            [
                "Role-models inclusive behaviour",
                "Leads inclusive teams and acts on feedback",
                "Leads action on equality data such as the WRES",
                "Is accountable at board level for inclusion and belonging",
            ],
        ),
        (
            "Governance and board-level influence",
            "Working with boards and committees.",
            [
                "Prepares accurate information for committees",
                "Writes clear committee papers",
                "Presents to committees and answers challenge",
                "Advises the board and its committees with authority",
            ],
        ),
    ],
}

WHEEL_ITEMS = [
    ("Coaching", "Being coached to reflect on your goals and how to reach them."),
    ("Mentoring", "Learning from someone more experienced, inside or outside your organisation."),
    ("Reverse mentoring", "Mentoring a senior leader, and learning from them in return."),
    ("Secondment", "Working in another team or organisation for a period."),
    ("Stretch assignments", "Taking on work beyond your current role."),
    ("Shadowing", "Spending time alongside someone in a role you are interested in."),
    ("Projects", "Leading or joining a project outside your day-to-day work."),
    ("Networks", "Joining professional networks and staff networks."),
    ("Formal learning", "Courses, qualifications and academy programmes."),
    ("Professional body membership", "CIPD membership, and upgrading your grade."),
    ("Action learning sets", "Working through real problems with a small group of peers."),
    ("Reading and research", "Keeping up with research, articles and podcasts."),
]


def link_programmes() -> int:
    """Link the academy opportunities to catalogue programmes that now exist, by slug.
    Returns the number of links made."""
    from programmes.models import Programme

    linked = 0
    for level, opportunities in OPPORTUNITIES.items():
        for kind, title, key in opportunities:
            if kind != ACADEMY or not key:
                continue
            programme = Programme.objects.filter(slug=key).first()
            if programme is None:
                continue
            linked += DevelopmentOpportunity.objects.filter(
                pathway_level__level=level, kind=kind, title=title, programme__isnull=True
            ).update(programme=programme)
    return linked


# Which catalogue programme selects against which framework (seed 001: the aspirant
# frameworks "are used as part of the selection and development process").
SELECTION_FRAMEWORKS = {
    "aspirant-business-partner-talent-pool": "aspirant-business-partner-framework",
    "aspirant-deputy-director-talent-pool": "aspirant-deputy-director-framework",
    "aspire-strategic-hr-and-od-business-partner-programme": "core-competency-framework",
}


def link_selection_frameworks() -> int:
    """Name the framework each seed programme selects against (programmes that exist)."""
    from programmes.models import Programme

    linked = 0
    for programme_slug, framework_slug in SELECTION_FRAMEWORKS.items():
        framework = Framework.objects.filter(slug=framework_slug).first()
        programme = Programme.objects.filter(slug=programme_slug).first()
        if framework and programme:
            ProgrammeSelectionFramework.objects.update_or_create(
                programme=programme, defaults={"framework": framework}
            )
            linked += 1
    return linked


# Seed 001, "Entry routes into the HR and OD profession": title, entry point, summary.
ENTRY_ROUTES = [
    ("Apprenticeships", "Band 2/3",
     "An entry point into NHS organisations at band 2/3: learn on the job in an HR or OD "
     "team while you study for a qualification."),
    ("Graduate Management Trainee Scheme (GMTS)", "Management roles",
     "After completing the scheme, participants apply for management level roles within HR "
     "and OD functions across a number of organisations."),
    ("Direct hire into HR", "Any HR or OD function",
     "Direct entry into any function of HR or OD through an organisation's own recruitment."),
    ("Internal moves from other professional functions", "From elsewhere in the NHS",
     "Internal movements from other professional functions into HR and OD in the NHS."),
    ("Network and community", "Secondments and stretch assignments",
     "Secondments, development opportunities, talent management and stretch assignments, "
     "through internal and external processes."),
    ("Qualified professional status", "Senior level posts",
     "Qualified professional status with the CIPD, into senior level posts through internal "
     "and external recruitment processes."),
]  # fmt: skip

# Seed 001, "Journey to inclusion": the leaders' articles, by title as the hub lists them.
# Only what the seed says is written here; the articles themselves are elsewhere.
INCLUSION_JOURNEYS = [
    ("Being anti-racist not just non-racist", "Peter Cheese", "Chief Executive, CIPD",
     "Peter Cheese on the difference between being non-racist and being anti-racist, and "
     "what it asks of HR and OD leaders."),
    ("Norma French's journey to inclusion", "Norma French", "",
     "Norma French shares her journey to greater and deeper levels of inclusion in her HR "
     "and OD work."),
    ("Getting my teeth into racism and privilege", "David Grantham", "",
     "David Grantham on confronting racism and privilege as a white HR leader."),
    ("Being an ally", "Paul Taylor Pitt", "",
     "Paul Taylor Pitt on what being an ally means in practice for HR and OD departments."),
]  # fmt: skip

# Seed 001's pointers to what lies beyond the hub.
FURTHER_RESOURCES = [
    ("CIPD Profession Map", "https://www.cipd.org/",
     "The CIPD's standards for the people profession, which the core competency framework "
     "can be used with."),
    ("CIPD professional membership", "https://www.cipd.org/",
     "The three CIPD professional membership grades: review your membership status and plan "
     "any upgrade in line with your career aspirations."),
    ("National leadership programmes", "https://www.leadershipacademy.nhs.uk/",
     "The leadership programmes delivered by the NHS centrally, with who is eligible for "
     "each."),
    ("The lived experience of black, Asian and minority ethnic HR and OD professionals", "",
     "The independent report commissioned from Synergised Solutions Ltd by the HPMA London "
     "Academy and the Deputy Directors of HR network, and the recommendations agreed from it."),
    ("HPMA London Academy programme 2021/22", "",
     "Supporting workforce professionals to turn the People Plan into reality: the core "
     "programme of development events, by People Plan theme."),
]  # fmt: skip


def load_hub_articles() -> int:
    """The entry routes, journeys to inclusion and further resources (update_or_create on
    the slug, so loading twice changes nothing)."""
    rows = [
        (HubArticle.Section.ENTRY_ROUTE, title, {"entry_point": point, "summary": summary})
        for title, point, summary in ENTRY_ROUTES
    ]
    rows += [
        (
            HubArticle.Section.INCLUSION_JOURNEY,
            title,
            {"author_name": author, "author_role": role, "summary": summary},
        )
        for title, author, role, summary in INCLUSION_JOURNEYS
    ]
    rows += [
        (HubArticle.Section.FURTHER_RESOURCE, title, {"url": url, "summary": summary})
        for title, url, summary in FURTHER_RESOURCES
    ]
    orders: dict[str, int] = {}
    for section, title, fields in rows:
        orders[section] = orders.get(section, 0) + 1
        HubArticle.objects.update_or_create(
            slug=slugify(title)[:200],
            defaults={"section": section, "title": title, "order": orders[section], **fields},
        )
    return len(rows)


def load(stdout=None):
    for name, description in FUNCTIONAL_AREA_DESCRIPTIONS.items():
        FunctionalArea.objects.filter(slug=slugify(name)).update(description=description)

    levels = {}
    for level, summary in LEVEL_SUMMARIES.items():
        levels[level], _ = PathwayLevel.objects.update_or_create(
            level=level, defaults={"summary": summary}
        )
    for order, level, bands, roles in PATHWAY_STEPS:
        step, _ = PathwayStep.objects.update_or_create(
            order=order, defaults={"level": levels[level], "salary_bands": bands}
        )
        for position, title in enumerate(roles, start=1):
            PathwayRole.objects.update_or_create(
                step=step, title=title, defaults={"order": position}
            )
    for level, opportunities in OPPORTUNITIES.items():
        for position, (kind, title, key) in enumerate(opportunities, start=1):
            natural = {"pathway_level": levels[level], "kind": kind}
            if kind == CIPD:
                natural["cipd_grade"] = key
            else:
                natural["title"] = title
            DevelopmentOpportunity.objects.update_or_create(**natural, defaults={"order": position})
    linked = link_programmes()

    for position, (name, kind, summary, description) in enumerate(FRAMEWORKS, start=1):
        framework, _ = Framework.objects.update_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "kind": kind,
                "summary": summary,
                "description": description,
                "order": position,
            },
        )
        for c_order, (c_name, c_description, indicators) in enumerate(COMPETENCIES[name], start=1):
            competency, _ = Competency.objects.update_or_create(
                framework=framework,
                name=c_name,
                defaults={"description": c_description, "order": c_order},
            )
            for level, text in enumerate(indicators, start=1):
                CompetencyIndicator.objects.update_or_create(
                    competency=competency, level=level, defaults={"text": text}
                )

    selection_frameworks = link_selection_frameworks()

    for position, (name, description) in enumerate(WHEEL_ITEMS, start=1):
        WheelItem.objects.update_or_create(
            name=name, defaults={"description": description, "order": position}
        )

    articles = load_hub_articles()

    if stdout:
        stdout.write(
            f"resources: {articles} hub articles, "
            f"{len(FUNCTIONAL_AREA_DESCRIPTIONS)} area descriptions, "
            f"{len(PATHWAY_STEPS)} pathway steps, {Framework.objects.count()} frameworks, "
            f"{WheelItem.objects.count()} wheel items, {linked} programme links, "
            f"{selection_frameworks} selection frameworks"
        )
