"""The notification kinds outreach sends, registered with the notifications app in
``OutreachConfig.ready``. Each has its template triplet in ``templates/emails/``."""

from django.utils.translation import gettext_lazy as _

from services.notifications.kinds import Kind

_EVENT = {
    "event": "外国专家看浦东 · Foreign experts see Pudong",
    "starts_on": "2026-05-20",
    "starts_time": "09:30",
    "venue": "上海市浦东新区世纪大道 100 号 · 100 Century Avenue, Pudong",
}
_NOMINATION = {
    "award": "Shanghai Magnolia Silver Award",
    "year": 2026,
    "nominee_name": "KIM MINJUN",
    "organization": "上海示例科技有限公司 (Shanghai Example Technology)",
}
_EVENT_KEYS = ("event", "starts_on", "starts_time", "venue")
_NOMINATION_KEYS = ("award", "year", "nominee_name", "organization")
_REGISTRATION_LINK = "/outreach/registrations/42/"
_NOMINATION_LINK = "/outreach/nominations/17/"

KINDS = (
    # --- Events ------------------------------------------------------------------------------
    Kind(
        "registration_confirmed",
        _("Event registration confirmed"),
        keys=(*_EVENT_KEYS, "code"),
        example={**_EVENT, "code": "K7M3Q9TX"},
        example_link=_REGISTRATION_LINK,
    ),
    Kind(
        "registration_waitlisted",
        _("On the waiting list of an event"),
        keys=(*_EVENT_KEYS, "position"),
        example={**_EVENT, "position": 3},
        example_link=_REGISTRATION_LINK,
    ),
    Kind(
        "registration_promoted",
        _("A place at an event became free for you"),
        keys=(*_EVENT_KEYS, "code"),
        example={**_EVENT, "code": "K7M3Q9TX"},
        example_link=_REGISTRATION_LINK,
    ),
    Kind(
        "event_reminder",
        _("Event reminder"),
        keys=_EVENT_KEYS,
        example={**_EVENT},
        example_link=_REGISTRATION_LINK,
    ),
    Kind(
        "registration_cancelled",
        _("Event registration cancelled"),
        keys=("event", "starts_on"),
        example={"event": _EVENT["event"], "starts_on": _EVENT["starts_on"]},
        example_link=_REGISTRATION_LINK,
    ),
    Kind(
        "event_cancelled",
        _("Event cancelled by the organisers"),
        keys=("event", "starts_on", "reason"),
        example={
            "event": _EVENT["event"],
            "starts_on": _EVENT["starts_on"],
            "reason": "The venue is closed for a typhoon warning.",
        },
        example_link=_REGISTRATION_LINK,
    ),
    Kind(
        "hiring_intention_recorded",
        _("An employer recorded a hiring intention with you"),
        keys=("event", "organization", "post", "salary"),
        example={
            "event": "到上海去 · Go to Shanghai — Munich 2026",
            "organization": _NOMINATION["organization"],
            "post": "Senior battery engineer",
            "salary": "CNY 400,000 to 600,000 a year",
        },
        example_link=_REGISTRATION_LINK,
    ),
    # --- Award nominations -------------------------------------------------------------------
    Kind(
        "nomination_submitted",
        _("A nomination awaits your endorsement"),
        keys=_NOMINATION_KEYS,
        example={**_NOMINATION},
        example_link=_NOMINATION_LINK,
    ),
    Kind(
        "nomination_endorsed",
        _("Nomination endorsed by the supervising unit"),
        keys=(*_NOMINATION_KEYS, "supervising_unit"),
        example={**_NOMINATION, "supervising_unit": "上海市示例主管单位 (Example Supervising Bureau)"},
        example_link=_NOMINATION_LINK,
    ),
    Kind(
        "nomination_to_review",
        _("An endorsed nomination awaits the commission's review"),
        keys=(*_NOMINATION_KEYS, "supervising_unit"),
        example={**_NOMINATION, "supervising_unit": "上海市示例主管单位 (Example Supervising Bureau)"},
        example_link=_NOMINATION_LINK,
    ),
    Kind(
        "nomination_declined",
        _("Endorsement of a nomination declined"),
        keys=(*_NOMINATION_KEYS, "supervising_unit", "reason"),
        example={
            **_NOMINATION,
            "supervising_unit": "上海市示例主管单位 (Example Supervising Bureau)",
            "reason": "The evidence of contributions is missing the patent certificates.",
        },
        example_link=_NOMINATION_LINK,
    ),
    Kind(
        "nomination_recommended",
        _("Nomination recommended by the commission"),
        keys=_NOMINATION_KEYS,
        example={**_NOMINATION, "rank": 2},
        example_link=_NOMINATION_LINK,
    ),
    Kind(
        "nomination_not_recommended",
        _("Nomination not recommended by the commission"),
        keys=(*_NOMINATION_KEYS, "reason"),
        example={
            **_NOMINATION,
            "reason": "The contributions described are not yet of city-wide significance.",
        },
        example_link=_NOMINATION_LINK,
    ),
    Kind(
        "nomination_awarded",
        _("Award conferred"),
        keys=_NOMINATION_KEYS,
        example={**_NOMINATION},
        example_link=_NOMINATION_LINK,
    ),
    Kind(
        "nomination_not_awarded",
        _("Award not conferred"),
        keys=_NOMINATION_KEYS,
        example={**_NOMINATION},
        example_link=_NOMINATION_LINK,
    ),
    # --- Service requests --------------------------------------------------------------------
    Kind(
        "service_request_replied",
        _("A service station answered your request"),
        keys=("reference", "request_subject", "station", "message"),
        example={
            "reference": "#128",
            "request_subject": "School places for my daughter",
            "station": "虹桥国际人才一站式服务中心 · Hongqiao one-stop service centre",
            "message": "Please bring your residence permit and the offer letter of the school on Tuesday.",
        },
        example_link="/outreach/requests/128/",
    ),
)
