"""The authorization matrix: every URL of the project against every role relation.

``check`` calls each URL pattern (web pages from the URL resolver, API operations from
the OpenAPI schema) as each relation to the employee, with the ids of the employee's
objects, and returns the problems found: a denied relation that is not refused, a
marker of the employee's private data in a response it should not see, a pattern
nobody wrote expectations for, or a URL parameter no builder fills.

The table below is the policy written out once more, by hand, on purpose: a view that
forgets its check disagrees with it.
"""

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from koers.access import renderings, tokens
from koers.access import services as access_services
from koers.access.models import Scope, TokenScope
from koers.api.api import api
from koers.conversations import services as conversation_services
from koers.conversations.states import ConversationKind
from koers.core import clock
from koers.core.models import User
from koers.cycles.models import Participation
from koers.development.models import Competency, DevelopmentAction
from koers.development.services import catalogue as catalogue_services
from koers.development.services import plans as plan_services
from koers.development.services import preparations as preparation_services
from koers.development.services import training_plans as training_plan_services
from koers.evaluations import probation as probation_records
from koers.evaluations import services as evaluation_services
from koers.evaluations.models import Evaluation, Objection
from koers.evaluations.states import DELIVERED_GROUP, EvaluationState
from koers.goals import services as goal_services
from koers.goals.models import Visibility
from koers.improvement import services as improvement_services
from koers.notify.models import Notification
from koers.organisation import importing, look
from koers.organisation import services as organisation_services
from koers.organisation.models import ImportKind, Person, Role
from koers.rulebook import services as rulebook
from tests import factories, personas
from tests.factories import consequences as consequence_factories
from tests.factories import goals as goal_factories
from tests.factories import looks, participations
from tests.security import figures, headers

# The figures of the security report (tests/security/figures.py).
REPORT = "Authorization"


class Rel(StrEnum):
    EMPLOYEE = "employee"
    COLLEAGUE = "colleague in the same team"
    FIRST = "1st evaluator"
    SECOND = "2nd evaluator"
    UNRELATED_MANAGER = "unrelated manager"
    HR = "HR of the whole organisation"
    OTHER_HR = "HR of another subtree"
    OUTSIDER = "user of another organisation"
    # Members of the organisation's bodies (consequences room), unrelated to the employee
    # otherwise: they reach the cases before them and nothing else.
    MANAGEMENT_BODY = "member of the management body"
    ADVISORY_BODY = "member of the advisory body"
    APPEAL_BOARD = "member of the appeal board"
    # Reads the security log of the organisation; unrelated to the employee otherwise.
    SECURITY_OFFICER = "security officer"
    # Director of the employee's department where the policy lets directors read the
    # reports (switched on for this world): the department's held conversations.
    DIRECTOR = "director of the department"
    # Left the employee's evaluator line: an override that made her 1st evaluator ended;
    # he moved to another unit. Both are still stored on the employee's draft evaluation,
    # as if nobody had re-pointed it: the line of the day decides, not what is stored.
    FORMER_FIRST = "former 1st evaluator (ended override)"
    FORMER_SECOND = "former 2nd evaluator (moved unit)"
    ANONYMOUS = "anonymous"


# Private data of the employee and who may ever see it, whatever the page.
GOAL_MARKER = "GEHEIM-doel-4711"
NOTE_MARKER = "GEHEIM-notitie-4711"
NUMBER_MARKER = "GEHEIMNR4711"
READ_MARKER = "GEHEIM-reden-4711"  # why HR asked: HR, the approver and the employee
# A self-evaluation not submitted yet is the employee's alone; a draft report (not sent
# for remarks, not delivered) is the evaluators' alone.
SELF_MARKER = "GEHEIM-zelfevaluatie-4711"
REPORT_MARKER = "GEHEIM-verslag-4711"
# The employee's delivered report of 2025 under appeal, the appeal's grounds, and the
# grounds of the objection to the step-0 decision of 2024 (consequences room).
FILE_MARKER = "GEHEIM-dossier-4711"
GROUNDS_MARKER = "GEHEIM-beroep-4711"
OBJECTION_MARKER = "GEHEIM-tegenspraak-4711"
# What the employee and the manager disagree about (a mediation, Dutch policy): the
# employee, the manager and the mediator (here the 2nd evaluator); HR of the unit reads it
# as it reads the conversations, here (the Flemish preset) only under a granted request.
MEDIATION_MARKER = "GEHEIM-bemiddeling-4711"
CONTENT_READERS = frozenset({Rel.EMPLOYEE, Rel.FIRST, Rel.SECOND})
PERSON_READERS = frozenset({Rel.EMPLOYEE, Rel.FIRST, Rel.SECOND, Rel.HR})
MARKERS = {GOAL_MARKER: CONTENT_READERS, NOTE_MARKER: CONTENT_READERS,
           SELF_MARKER: frozenset({Rel.EMPLOYEE}),
           REPORT_MARKER: frozenset({Rel.FIRST, Rel.SECOND}),
           NUMBER_MARKER: PERSON_READERS,
           READ_MARKER: frozenset({Rel.EMPLOYEE, Rel.SECOND, Rel.HR}),
           FILE_MARKER: CONTENT_READERS | {Rel.APPEAL_BOARD},
           GROUNDS_MARKER: CONTENT_READERS | {Rel.APPEAL_BOARD},
           OBJECTION_MARKER: frozenset({Rel.EMPLOYEE, Rel.ADVISORY_BODY}),
           MEDIATION_MARKER: frozenset({Rel.EMPLOYEE, Rel.FIRST, Rel.SECOND})}

OWN = None  # a page about the caller (no object in its URL): no refusal expected
HR = frozenset({Rel.HR})
EDITORS = frozenset({Rel.EMPLOYEE, Rel.FIRST})
ORG = frozenset(Rel) - {Rel.OUTSIDER, Rel.ANONYMOUS}
ME = frozenset({Rel.EMPLOYEE})
ANY = frozenset(Rel) - {Rel.ANONYMOUS}
EVALUATORS = frozenset({Rel.FIRST, Rel.SECOND})
FIRST = frozenset({Rel.FIRST})
OFFICER = frozenset({Rel.SECURITY_OFFICER})
DIRECTOR = frozenset({Rel.DIRECTOR})
MEDIATION_READERS = frozenset({Rel.EMPLOYEE, Rel.FIRST, Rel.SECOND})

# Who may reach the employee's object through each view; ``OWN`` pages take no object.
# Web views by URL name, API operations as "api:<METHOD> <path>".
EXPECTED: dict[str, frozenset[Rel] | None] = {
    "home": OWN, "language": OWN, "unit_tree": OWN, "import_start": OWN,
    "import_template": OWN, "notifications": OWN, "notifications_read_all": OWN,
    "cycle_list": OWN, "policy_start": OWN, "my_goals": OWN, "team_goals": OWN,
    "team_goal_new": OWN,
    "person_detail": PERSON_READERS, "person_edit": HR, "override_create": HR,
    "override_end": HR, "effective_work_edit": HR, "person_other_evaluation": HR,
    "unit_detail": HR, "unit_rank_check": HR, "unit_edit": HR, "unit_delete": HR,
    "unit_create": HR,
    "person_create": HR, "import_batch": HR, "import_apply": HR,
    "person_timeline": PERSON_READERS, "participation_period": PERSON_READERS,
    "participation_leaving": PERSON_READERS,
    "notification_read": ME,
    # Without a unit the dashboard opens at the top of the caller's own HR subtree.
    "cycle_dashboard": HR | {Rel.OTHER_HR}, "cycle_dashboard_unit": HR,
    "cycle_dashboard_export": HR,
    # The people late on a step, and HR's reminder about them (POST on the same page).
    "cycle_dashboard_late": HR,
    "cycle_detail": HR, "cycle_resume": HR,
    "policy_detail": ORG, "policy_edit": HR, "policy_reset": HR,
    # The employer sign-in's settings: HR of the whole organisation.
    "employer_sign_in": HR,
    # The organisation's colour and logo: HR of the whole organisation sets them; everyone
    # of the organisation gets its stylesheet and logo, on every page.
    "organisation_look": HR, "organisation_theme": ORG, "organisation_logo": ORG,
    "goal_detail": CONTENT_READERS, "goal_edit": EDITORS,
    "goal_confirm": CONTENT_READERS, "goal_status": CONTENT_READERS,
    "goal_comment": CONTENT_READERS,
    "person_goals": PERSON_READERS, "goal_new": EDITORS,
    # The planning signed "voor akkoord": its three signers, by the line of the day.
    "planning_detail": CONTENT_READERS, "planning_sign": CONTENT_READERS,
    "my_conversations": OWN, "calendar_settings": OWN, "calendar_make": OWN,
    "calendar_renew": OWN,
    "conversation_detail": CONTENT_READERS, "conversation_cancel": CONTENT_READERS,
    "conversation_hold": CONTENT_READERS, "conversation_report": CONTENT_READERS,
    "conversation_confirm": CONTENT_READERS, "person_conversations": PERSON_READERS,
    "conversation_new": CONTENT_READERS,
    "conversation_reschedule": CONTENT_READERS, "conversation_agenda": CONTENT_READERS,
    "conversation_amend": CONTENT_READERS,
    # Dutch policy: the 1st evaluator designates who holds it; others hear why not.
    "conversation_holder": CONTENT_READERS,
    "team_overview": OWN, "my_work_plans": OWN, "work_plan_new": OWN,
    "person_work_plans": PERSON_READERS, "work_plan_detail": CONTENT_READERS,
    # Only the employee writes their plan; the others get the same 404 as a stranger.
    "work_plan_edit": ME,
    "work_plan_comment": CONTENT_READERS, "work_plan_confirm": CONTENT_READERS,
    # Mediation (Dutch policy): the employee asks; the employee, the manager, the
    # mediator (the 2nd evaluator in this world) and HR of the unit see it.
    "conversation_mediation_new": ME, "work_plan_mediation_new": ME, "my_mediations": OWN,
    "mediation_detail": MEDIATION_READERS, "mediation_outcome": MEDIATION_READERS,
    "api:GET /api/v1/mediations": OWN, "api:POST /api/v1/mediations": OWN,
    "api:GET /api/v1/mediations/{mediation_id}": MEDIATION_READERS,
    "api:POST /api/v1/mediations/{mediation_id}/outcome": MEDIATION_READERS,
    # The secret link is the credential (calendar apps cannot sign in).
    "calendar_feed": frozenset(Rel),
    # For load balancers and probes: no sign-in, no personal data (states and counts).
    "health_live": frozenset(Rel), "health_ready": frozenset(Rel),
    # The metrics answer to the scraper's token alone (KOERS_METRICS_TOKEN), never to a user.
    "metrics": frozenset(),
    "access_requests": OWN, "my_reads": OWN, "access_request_new": HR,
    # One's own API tokens: the page takes no object; a token is revoked by its owner alone.
    "api_tokens": OWN, "api_token_revoke": ME,
    "api:GET /api/v1/me/api-tokens": OWN, "api:POST /api/v1/me/api-tokens": OWN,
    "api:DELETE /api/v1/me/api-tokens/{token_id}": ME,
    # What a kind of error means: the same for everyone, signed in or not.
    "api:GET /api/v1/problems/{code}": frozenset(Rel),
    # The security log takes no object: only the officer (and superusers) reach it.
    "security_log": OFFICER, "security_log_export": OFFICER,
    "api:GET /api/v1/security/refusals": OFFICER,
    # Undelivered e-mail takes no object: HR of the whole organisation (and superusers).
    "undelivered_mail": HR, "api:GET /api/v1/mail/undelivered": HR,
    # The department's reports take no object: only its reading director reaches them.
    "department_reports": DIRECTOR,
    "api:GET /api/v1/department/conversation-reports": DIRECTOR,
    # One's own data only: no object in the URL.
    "my_data": OWN, "my_data_json": OWN, "my_data_pdf": OWN,
    # A PDF asked for is its requester's alone (the employee asked for their data).
    "rendering_detail": ME, "rendering_download": ME, "api:POST /api/v1/renderings": OWN,
    "api:GET /api/v1/renderings/{rendering_id}": ME,
    "api:GET /api/v1/renderings/{rendering_id}/pdf": ME,
    "access_request_decide": frozenset({Rel.SECOND}),
    # Evaluation pages (the world's evaluation is a Flemish draft: the 1st evaluator
    # writes the report; the employee reads it, signs it and gets the PDF only once it
    # is sent for remarks or delivered).
    "my_evaluations": OWN, "person_evaluations": PERSON_READERS,
    "participation_evaluation": PERSON_READERS, "evaluation_detail": PERSON_READERS,
    "evaluation_self": ME, "evaluation_report": frozenset({Rel.FIRST}),
    "evaluation_sign": EVALUATORS, "evaluation_written_procedure": frozenset({Rel.FIRST}),
    "evaluation_send_draft": frozenset({Rel.FIRST}), "evaluation_draft_remarks": ME,
    "evaluation_correct": EVALUATORS, "evaluation_close_unsigned": HR | {Rel.FIRST},
    "evaluation_cancel": HR, "evaluation_objection": HR | ME,
    "evaluation_objection_decide": HR, "evaluation_pdf": EVALUATORS,
    # A formal assessment is opened by the 1st evaluator, HR, or the employee at their own
    # request; the page says so where the policy has none.
    "formal_assessment_new": HR | EDITORS,
    # Probation (the world's employee is on a Flemish probation, recorded by HR): whoever
    # sees the person sees it; HR records it and its days not worked; the 1st evaluator
    # or HR opens its evaluation.
    "person_probation": PERSON_READERS, "probation_detail": PERSON_READERS,
    "probation_new": HR, "probation_absences": HR,
    "probation_evaluation_new": HR | FIRST,
    "api:GET /api/v1/people/{person_id}/probation": PERSON_READERS,
    "api:POST /api/v1/people/{person_id}/probations": HR,
    "api:GET /api/v1/probations/{probation_id}": PERSON_READERS,
    "api:PUT /api/v1/probations/{probation_id}/absences": HR,
    # HR records how a federal stage ends (on the world's Flemish probation it answers
    # that the policy has none: reached, not refused).
    "stage_outcome": HR,
    "api:POST /api/v1/probations/{probation_id}/outcome": HR,
    # Appeals, salary decisions and objections. The world's appeal is before the board
    # (filed); the objection before the advisory body (filed), so nobody decides it yet.
    "consequences": OWN, "salary_worklist": OWN,
    "salary_decision_detail": frozenset({Rel.EMPLOYEE, Rel.HR, Rel.MANAGEMENT_BODY}),
    "objection_new": ME,
    "objection_detail": frozenset({Rel.EMPLOYEE, Rel.HR, Rel.ADVISORY_BODY}),
    "objection_advice": frozenset({Rel.ADVISORY_BODY}), "objection_decide": frozenset(),
    "appeal_new": ME,
    "appeal_detail": PERSON_READERS | {Rel.APPEAL_BOARD},
    "appeal_file": frozenset({Rel.APPEAL_BOARD}),
    "appeal_hearing": HR, "appeal_advice": HR, "appeal_outcome": HR,
    "api:GET /api/v1/appeals": OWN, "api:GET /api/v1/objections": OWN,
    "api:POST /api/v1/evaluations/{evaluation_id}/appeal": ME,
    "api:GET /api/v1/appeals/{appeal_id}": PERSON_READERS | {Rel.APPEAL_BOARD},
    "api:GET /api/v1/appeals/{appeal_id}/file": frozenset({Rel.APPEAL_BOARD}),
    "api:POST /api/v1/appeals/{appeal_id}/hearing": HR,
    "api:POST /api/v1/appeals/{appeal_id}/advice": HR,
    "unfitness_review": frozenset(),  # no flag in the matrix's world: 404 for everyone
    "api:GET /api/v1/unfitness-flags": OWN,
    "api:POST /api/v1/evaluations/{evaluation_id}/unfitness-review": HR,
    "api:POST /api/v1/appeals/{appeal_id}/outcome": HR,
    "api:GET /api/v1/organisations/{organisation_id}/salary-worklist":
        frozenset({Rel.MANAGEMENT_BODY}),
    "api:POST /api/v1/organisations/{organisation_id}/salary-decisions":
        frozenset({Rel.MANAGEMENT_BODY}),
    "api:GET /api/v1/salary-decisions/{decision_id}":
        frozenset({Rel.EMPLOYEE, Rel.HR, Rel.MANAGEMENT_BODY}),
    "api:POST /api/v1/salary-decisions/{decision_id}/objection": ME,
    "api:GET /api/v1/objections/{objection_id}":
        frozenset({Rel.EMPLOYEE, Rel.HR, Rel.ADVISORY_BODY}),
    "api:POST /api/v1/objections/{objection_id}/advice": frozenset({Rel.ADVISORY_BODY}),
    "api:POST /api/v1/objections/{objection_id}/decision": frozenset(),
    # API
    # People and units: HR adds a person, removes an empty unit, ends an override.
    "api:POST /api/v1/units/{unit_id}/people": HR, "api:DELETE /api/v1/units/{unit_id}": HR,
    # The organisations whose unit tree the caller browses: no object, as the unit tree.
    "api:GET /api/v1/organisations": OWN,
    "api:POST /api/v1/people/{person_id}/evaluator-overrides/{override_id}/end": HR,
    # HR's imports: an upload names no object (the caller's own organisation); a stored
    # upload is for HR of its organisation alone, as on the pages.
    "api:POST /api/v1/imports": OWN, "api:GET /api/v1/imports/templates/{kind}": OWN,
    "api:GET /api/v1/imports/{import_id}": HR, "api:POST /api/v1/imports/{import_id}/apply": HR,
    # One's own notifications: someone else's is the same 404 as a missing one.
    "api:GET /api/v1/me/notifications": OWN, "api:POST /api/v1/me/notifications/read": OWN,
    "api:POST /api/v1/me/notifications/{notification_id}/read": ME,
    "api:GET /api/v1/me": OWN, "api:GET /api/v1/me/team": OWN,
    "api:GET /api/v1/me/goals": OWN, "api:GET /api/v1/cycles": OWN,
    "api:POST /api/v1/cycles": OWN, "api:POST /api/v1/units": OWN,
    "api:POST /api/v1/goals": OWN, "api:POST /api/v1/conversations": OWN,
    "api:GET /api/v1/people/{person_id}/conversations": PERSON_READERS,
    "api:GET /api/v1/conversations/{conversation_id}": CONTENT_READERS,
    "api:POST /api/v1/conversations/{conversation_id}/reschedule": CONTENT_READERS,
    "api:POST /api/v1/conversations/{conversation_id}/agenda": CONTENT_READERS,
    "api:POST /api/v1/conversations/{conversation_id}/cancel": CONTENT_READERS,
    "api:POST /api/v1/conversations/{conversation_id}/hold": CONTENT_READERS,
    "api:POST /api/v1/conversations/{conversation_id}/confirm": CONTENT_READERS,
    "api:PUT /api/v1/conversations/{conversation_id}/report": CONTENT_READERS,
    "api:POST /api/v1/conversations/{conversation_id}/amendments": CONTENT_READERS,
    "api:PUT /api/v1/conversations/{conversation_id}/holder": CONTENT_READERS,
    # One's own calendar link, as its page: no object in the URL.
    "api:GET /api/v1/me/calendar": OWN, "api:POST /api/v1/me/calendar": OWN,
    "api:POST /api/v1/me/calendar/renew": OWN,
    "api:GET /api/v1/me/team/overview": OWN, "api:GET /api/v1/team-goals": OWN,
    "api:POST /api/v1/team-goals": OWN, "api:POST /api/v1/work-plans": OWN,
    "api:GET /api/v1/people/{person_id}/work-plans": PERSON_READERS,
    "api:GET /api/v1/work-plans/{work_plan_id}": CONTENT_READERS,
    "api:PATCH /api/v1/work-plans/{work_plan_id}": CONTENT_READERS,
    "api:POST /api/v1/work-plans/{work_plan_id}/comments": CONTENT_READERS,
    "api:POST /api/v1/work-plans/{work_plan_id}/confirm": CONTENT_READERS,
    # Evaluations. The world's evaluation is a draft: its report (and so the versions and
    # the PDF) is the evaluators' until it is sent for remarks or delivered.
    "api:GET /api/v1/me/evaluations": OWN, "api:GET /api/v1/me/evaluation-tasks": OWN,
    "api:GET /api/v1/me/tasks": OWN,
    "api:GET /api/v1/people/{person_id}/evaluations": PERSON_READERS,
    "api:POST /api/v1/people/{person_id}/evaluations": PERSON_READERS,
    "api:POST /api/v1/participations/{participation_id}/evaluation": PERSON_READERS,
    "api:GET /api/v1/evaluations/{evaluation_id}": PERSON_READERS,
    "api:PUT /api/v1/evaluations/{evaluation_id}/self-evaluation": ME,
    "api:POST /api/v1/evaluations/{evaluation_id}/self-evaluation/submit": ME,
    # The policy's report author: the 1st evaluator (the employee in the Dutch preset).
    "api:PUT /api/v1/evaluations/{evaluation_id}/report": EDITORS,
    "api:PUT /api/v1/evaluations/{evaluation_id}/written-procedure": frozenset({Rel.FIRST}),
    "api:POST /api/v1/evaluations/{evaluation_id}/send-draft": frozenset({Rel.FIRST}),
    "api:POST /api/v1/evaluations/{evaluation_id}/draft-remarks": ME,
    "api:POST /api/v1/evaluations/{evaluation_id}/sign": CONTENT_READERS,
    "api:POST /api/v1/evaluations/{evaluation_id}/correct": EVALUATORS,
    "api:POST /api/v1/evaluations/{evaluation_id}/close-unsigned": HR | {Rel.FIRST},
    "api:POST /api/v1/evaluations/{evaluation_id}/cancel": HR,
    "api:POST /api/v1/evaluations/{evaluation_id}/objections": HR | ME,
    # The decision on an objection to an assessment: HR of the person's unit records it.
    "api:POST /api/v1/evaluation-objections/{evaluation_objection_id}/decision": HR,
    "api:GET /api/v1/evaluations/{evaluation_id}/versions": EVALUATORS,
    "api:POST /api/v1/evaluations/{evaluation_id}/pdf": EVALUATORS,
    "api:GET /api/v1/access-requests": OWN,
    "api:GET /api/v1/me/access-reads": OWN, "api:GET /api/v1/me/personal-data": OWN,
    "api:POST /api/v1/people/{person_id}/access-requests": HR,
    "api:POST /api/v1/access-requests/{request_id}/decision": frozenset({Rel.SECOND}),
    # The people the caller may see, no object in the URL: the markers tell who saw whom.
    "api:GET /api/v1/people": OWN,
    "api:GET /api/v1/people/{person_id}": PERSON_READERS,
    "api:PATCH /api/v1/people/{person_id}": HR,
    "api:POST /api/v1/people/{person_id}/evaluator-overrides": HR,
    "api:GET /api/v1/people/{person_id}/effective-work/{year}": PERSON_READERS,
    "api:PUT /api/v1/people/{person_id}/effective-work/{year}": HR,
    "api:PUT /api/v1/people/{person_id}/other-evaluation": HR,
    "api:GET /api/v1/people/{person_id}/timeline": PERSON_READERS,
    "api:GET /api/v1/people/{person_id}/history": HR,
    "api:GET /api/v1/people/{person_id}/goals": PERSON_READERS,
    "api:GET /api/v1/units/{unit_id}": HR, "api:PUT /api/v1/units/{unit_id}": HR,
    "api:GET /api/v1/units/{unit_id}/people": HR,
    "api:GET /api/v1/units/{unit_id}/rank-check": HR,
    "api:GET /api/v1/cycles/{cycle_id}/dashboard": HR | {Rel.OTHER_HR},
    # Without a unit, the top of the caller's own HR subtree, as the dashboard.
    "api:GET /api/v1/cycles/{cycle_id}/late/{step}": HR | {Rel.OTHER_HR},
    "api:POST /api/v1/cycles/{cycle_id}/late/{step}/reminders": HR | {Rel.OTHER_HR},
    "api:GET /api/v1/cycles/{cycle_id}": HR, "api:POST /api/v1/cycles/{cycle_id}/resume": HR,
    "api:GET /api/v1/organisations/{organisation_id}/policy": ORG,
    "api:PATCH /api/v1/organisations/{organisation_id}/policy": HR,
    "api:GET /api/v1/organisations/{organisation_id}/sign-in": HR,
    "api:PUT /api/v1/organisations/{organisation_id}/sign-in": HR,
    "api:GET /api/v1/organisations/{organisation_id}/look": HR,
    "api:PUT /api/v1/organisations/{organisation_id}/look": HR,
    "api:POST /api/v1/organisations/{organisation_id}/look/logo": HR,
    "api:DELETE /api/v1/organisations/{organisation_id}/look/logo": HR,
    "api:PUT /api/v1/organisations/{organisation_id}/policy/{setting}": HR,
    "api:PUT /api/v1/participations/{participation_id}/agreed-period": HR,
    "api:PUT /api/v1/participations/{participation_id}/leaving": HR | FIRST,
    "api:GET /api/v1/goals/{goal_id}": CONTENT_READERS,
    "api:PATCH /api/v1/goals/{goal_id}": CONTENT_READERS,
    "api:POST /api/v1/goals/{goal_id}/confirm": CONTENT_READERS,
    "api:POST /api/v1/goals/{goal_id}/status": CONTENT_READERS,
    "api:POST /api/v1/goals/{goal_id}/comments": CONTENT_READERS,
    "api:GET /api/v1/participations/{participation_id}/planning": CONTENT_READERS,
    "api:POST /api/v1/participations/{participation_id}/planning/signatures": CONTENT_READERS,
    # Development (POP): catalogues read by the organisation, edited by HR of the whole
    # organisation; preparations private until shared (the world's are shared); the plan
    # read by the employee and both evaluators, built and signed by the employee and the
    # 1st evaluator; the training demand for HR of the organisation (its own subtrees).
    "development_catalogue": OWN, "competency_catalogue": ORG, "competency_detail": ORG,
    "action_catalogue": ORG, "recommendation_matrix": ORG, "competency_profiles": ORG,
    "competency_new": HR, "cluster_new": HR, "competency_edit": HR,
    "recommendation_edit": HR, "action_new": HR, "action_edit": HR,
    "competency_profile_new": HR, "competency_profile_edit": HR,
    "competency_profile_delete": HR,
    # The organisation's training plans (GOP): read by the organisation, kept by HR.
    "training_plans": ORG, "training_plan_new": HR, "training_plan_edit": HR,
    "training_plan_remove": HR,
    "api:GET /api/v1/organisations/{organisation_id}/training-plans": ORG,
    "api:POST /api/v1/organisations/{organisation_id}/training-plans": HR,
    "api:PATCH /api/v1/training-plans/{training_plan_id}": HR,
    "api:DELETE /api/v1/training-plans/{training_plan_id}": HR,
    "self_scan": OWN, "development_preparations": OWN, "employee_preparation_new": OWN,
    "department_preparation_new": OWN,
    "employee_preparation": CONTENT_READERS, "employee_preparation_share": ME,
    # The 1st evaluator's general view of the unit: the author and the author's own
    # evaluator (the employee's 2nd).
    "department_preparation": EVALUATORS, "department_preparation_share": FIRST,
    "manager_preparation_new": FIRST, "manager_preparation": CONTENT_READERS,
    "manager_preparation_share": FIRST,
    # Improvement plans: the employee and both evaluators read a plan; the evaluators
    # start, change, follow up, extend and decide it; the buttons (sign, remarks, cancel,
    # agree) answer every reader with a message, the others 404.
    "person_improvement": PERSON_READERS, "improvement_plan_new": EVALUATORS,
    "improvement_plan": CONTENT_READERS, "improvement_plan_edit": EVALUATORS,
    "improvement_plan_sign": CONTENT_READERS, "improvement_plan_remarks": CONTENT_READERS,
    "improvement_plan_cancel": CONTENT_READERS, "improvement_plan_extend": EVALUATORS,
    "improvement_plan_extension_agree": CONTENT_READERS,
    "improvement_plan_decide": EVALUATORS, "improvement_follow_up_schedule": EVALUATORS,
    "improvement_follow_up_record": EVALUATORS,
    "api:GET /api/v1/people/{person_id}/improvement-plans": PERSON_READERS,
    "api:GET /api/v1/people/{person_id}/improvement-plan-proposals": PERSON_READERS,
    "api:POST /api/v1/improvement-plans": OWN,
    "api:GET /api/v1/improvement-plans/{improvement_plan_id}": CONTENT_READERS,
    "api:PUT /api/v1/improvement-plans/{improvement_plan_id}": EVALUATORS,
    "api:POST /api/v1/improvement-plans/{improvement_plan_id}/remarks": ME,
    "api:POST /api/v1/improvement-plans/{improvement_plan_id}/signatures": CONTENT_READERS,
    "api:POST /api/v1/improvement-plans/{improvement_plan_id}/cancel": EVALUATORS,
    "api:POST /api/v1/improvement-plans/{improvement_plan_id}/extension": EVALUATORS,
    "api:POST /api/v1/improvement-plans/{improvement_plan_id}/extension/agree": ME,
    "api:POST /api/v1/improvement-plans/{improvement_plan_id}/decision": EVALUATORS,
    "api:POST /api/v1/improvement-follow-ups/{improvement_follow_up_id}/schedule": EVALUATORS,
    "api:POST /api/v1/improvement-follow-ups/{improvement_follow_up_id}/report": EVALUATORS,
    "my_development_plans": OWN, "person_development": PERSON_READERS,
    "plan_new": EDITORS, "development_plan": CONTENT_READERS,
    "development_plan_pdf": CONTENT_READERS, "plan_proposals": EDITORS,
    "plan_item_new": EDITORS, "plan_remarks": ME, "plan_round_new": EDITORS,
    # Reachable by whoever reads the plan; the service refuses the 2nd evaluator.
    "plan_sign": CONTENT_READERS, "plan_close": CONTENT_READERS,
    "plan_cancel": CONTENT_READERS,
    "plan_item_edit": EDITORS, "plan_item_remove": EDITORS, "plan_goal_new": EDITORS,
    "plan_means_new": EDITORS, "plan_hr_action_new": EDITORS,
    "plan_follow_up_new": EDITORS, "plan_goal_edit": EDITORS, "plan_goal_remove": EDITORS,
    "plan_means_edit": EDITORS, "plan_means_remove": EDITORS,
    "plan_hr_action_edit": EDITORS, "plan_hr_action_remove": EDITORS,
    "plan_follow_up_edit": EDITORS, "plan_follow_up_remove": EDITORS,
    "hr_action_arrange": HR,
    "training_demand": HR | {Rel.OTHER_HR}, "training_demand_export": HR | {Rel.OTHER_HR},
    "api:GET /api/v1/organisations/{organisation_id}/competencies": ORG,
    "api:POST /api/v1/organisations/{organisation_id}/competencies": HR,
    "api:POST /api/v1/organisations/{organisation_id}/competency-clusters": HR,
    "api:PATCH /api/v1/competencies/{competency_id}": HR,
    "api:GET /api/v1/competencies/{competency_id}/advice": ORG,
    "api:PUT /api/v1/competencies/{competency_id}/recommendations/{action_id}": HR,
    "api:GET /api/v1/organisations/{organisation_id}/development-actions": ORG,
    "api:POST /api/v1/organisations/{organisation_id}/development-actions": HR,
    "api:PATCH /api/v1/development-actions/{action_id}": HR,
    "api:GET /api/v1/organisations/{organisation_id}/recommendations": ORG,
    "api:GET /api/v1/organisations/{organisation_id}/competency-profiles": ORG,
    "api:PUT /api/v1/organisations/{organisation_id}/competency-profiles": HR,
    "api:DELETE /api/v1/competency-profiles/{profile_id}": HR,
    "api:GET /api/v1/people/{person_id}/development-plans": PERSON_READERS,
    "api:POST /api/v1/development-plans": OWN,
    "api:GET /api/v1/development-plans/{plan_id}": CONTENT_READERS,
    "api:PATCH /api/v1/development-plans/{plan_id}": ME,
    "api:POST /api/v1/development-plans/{plan_id}/rows": EDITORS,
    "api:PATCH /api/v1/plan-rows/{row_id}": EDITORS,
    "api:DELETE /api/v1/plan-rows/{row_id}": EDITORS,
    "api:POST /api/v1/plan-rows/{row_id}/goals": EDITORS,
    "api:PATCH /api/v1/plan-goals/{plan_goal_id}": EDITORS,
    "api:DELETE /api/v1/plan-goals/{plan_goal_id}": EDITORS,
    "api:POST /api/v1/plan-rows/{row_id}/means": EDITORS,
    "api:PATCH /api/v1/plan-means/{means_id}": EDITORS,
    "api:DELETE /api/v1/plan-means/{means_id}": EDITORS,
    "api:POST /api/v1/plan-rows/{row_id}/hr-actions": EDITORS,
    "api:PATCH /api/v1/hr-actions/{hr_action_id}": EDITORS,
    "api:DELETE /api/v1/hr-actions/{hr_action_id}": EDITORS,
    "api:POST /api/v1/plan-rows/{row_id}/follow-ups": EDITORS,
    "api:PATCH /api/v1/plan-follow-ups/{follow_up_id}": EDITORS,
    "api:DELETE /api/v1/plan-follow-ups/{follow_up_id}": EDITORS,
    "api:POST /api/v1/development-plans/{plan_id}/sign": EDITORS,
    "api:POST /api/v1/development-plans/{plan_id}/rounds": EDITORS,
    # Only the 1st evaluator closes; the employee and the 1st evaluator cancel a draft
    # (the others reach the service's refusal, a 422).
    "api:POST /api/v1/development-plans/{plan_id}/close": FIRST,
    "api:POST /api/v1/development-plans/{plan_id}/cancel": EDITORS,
    # The preparations as their pages: read by their readers once shared (the world's
    # are), changed and shared by their author alone.
    "api:GET /api/v1/me/self-scan": OWN, "api:PUT /api/v1/me/self-scan": OWN,
    "api:GET /api/v1/employee-preparations": OWN,
    "api:POST /api/v1/employee-preparations": OWN,
    "api:GET /api/v1/employee-preparations/{employee_preparation_id}": CONTENT_READERS,
    "api:PATCH /api/v1/employee-preparations/{employee_preparation_id}": ME,
    "api:POST /api/v1/employee-preparations/{employee_preparation_id}/share": ME,
    "api:GET /api/v1/department-preparations": OWN,
    "api:POST /api/v1/department-preparations": OWN,
    "api:GET /api/v1/department-preparations/{department_preparation_id}": EVALUATORS,
    "api:PATCH /api/v1/department-preparations/{department_preparation_id}": FIRST,
    "api:POST /api/v1/department-preparations/{department_preparation_id}/share": FIRST,
    "api:GET /api/v1/manager-preparations": OWN,
    "api:POST /api/v1/people/{person_id}/manager-preparations": FIRST,
    "api:GET /api/v1/manager-preparations/{manager_preparation_id}": CONTENT_READERS,
    "api:PATCH /api/v1/manager-preparations/{manager_preparation_id}": FIRST,
    "api:POST /api/v1/manager-preparations/{manager_preparation_id}/share": FIRST,
    "api:GET /api/v1/organisations/{organisation_id}/training-demand": HR | {Rel.OTHER_HR},
    "api:POST /api/v1/hr-actions/{hr_action_id}/status": HR,
}

# Not part of the matrix: Django admin, allauth, the API's self-description and its
# answer to an address no operation answers (the same problem for everyone, no data).
SKIPPED_PREFIXES = ("admin/", "accounts/", "static/", "media/", "__debug__/")
API_PREFIX = "api/v1/"
API_DOCS = {"api/v1/", "api/v1/openapi.json", "api/v1/docs", "^api/v1/"}


@dataclass
class World:
    """The employee's objects, one of each kind, and a user for each relation."""

    people: personas.Personas
    second: Person
    ids: dict[str, Any]
    users: dict[Rel, User | None]


def build() -> World:
    """Builds the world through the services. A new kind of object in a URL needs a
    builder here (and an entry in ``KIND_BY_NAME``)."""
    p = personas.build()
    second = p.department.manager
    assert second is not None
    p.employee.employee_number = NUMBER_MARKER
    p.employee.save(update_fields=["employee_number"])
    goal = goal_factories.proposed(p.employee, title=f"{GOAL_MARKER} loonvragen",
                                   visibility=Visibility.PRIVATE)
    goal_services.goal_comment(actor=goal_factories.viewer(p.employee), goal=goal,
                               text=NOTE_MARKER)
    cycle = participations.cycle(p.employee.organisation, 2026)
    participation = participations.participation(cycle, p.employee)
    override = organisation_services.evaluator_override_create(
        person=p.employee, first_evaluator=p.manager, second_evaluator=second,
        valid_from=dt.date(2026, 1, 1), valid_until=None, reason="matrix",
    )
    assert p.employee.user is not None
    notification = Notification.objects.create(
        recipient=p.employee.user, key="matrix:1", kind="matrix", url="/",
        created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    batch = importing.import_batch_upload(
        organisation=p.employee.organisation, kind=ImportKind.PEOPLE, file_name="people.csv",
        content=importing.template_csv(ImportKind.PEOPLE).encode(), uploaded_by=p.hr.user)
    ids: dict[str, Any] = {
        "person": p.employee.pk, "unit": p.team.pk, "goal": goal.pk, "cycle": cycle.pk,
        "organisation": p.employee.organisation_id, "participation": participation.pk,
        "override": override.pk,
        "notification": notification.pk, "import_batch": batch.pk, "year": 2026,
        "setting": "minimum_hours", "import_kind": ImportKind.PEOPLE, "file_format": "csv",
        "step": "planning",
    }
    for extra in EXTRA_BUILDERS:
        ids.update(extra(p))
    users: dict[Rel, User | None] = {
        Rel.EMPLOYEE: p.employee.user, Rel.COLLEAGUE: p.colleague.user,
        Rel.FIRST: p.manager.user, Rel.SECOND: second.user,
        Rel.UNRELATED_MANAGER: p.unrelated_manager.user, Rel.HR: p.hr.user,
        Rel.OTHER_HR: p.team_hr.user, Rel.OUTSIDER: p.outsider.user, Rel.ANONYMOUS: None,
    }
    for rel in BODY_RELATIONS:  # the users the builders below made
        users[rel] = User.objects.get(pk=ids[f"user:{rel.name}"])
    return World(people=p, second=second, ids=ids, users=users)


def _conversation(p: personas.Personas) -> dict[str, Any]:
    assert p.employee.user is not None
    starts = dt.datetime(2099, 3, 2, 10, tzinfo=dt.UTC)
    conversation = conversation_services.conversation_schedule(
        actor=goal_factories.viewer(p.employee), employee=p.employee,
        kind=ConversationKind.PLANNING, starts_at=starts, ends_at=starts + dt.timedelta(hours=1),
        location="Lokaal 1", agenda=[f"{GOAL_MARKER} bespreken"],
    )
    feed = conversation_services.calendar_feed_make(user=p.employee.user)[0]
    return {"conversation": conversation.pk, "calendar_token": feed.token}


# Rooms that add object kinds register a builder: ``(personas) -> {kind: id}``.
def _access_request(p: personas.Personas) -> dict[str, Any]:
    """A pending request of HR about the employee, and a read under a grant that expired."""
    second = p.department.manager
    assert second is not None
    with clock.frozen(clock.now() - dt.timedelta(days=2)):
        hr = goal_factories.viewer(p.hr)
        earlier = access_services.access_request_create(
            actor=hr, subject=p.employee, scope=Scope.GOALS,
            reason=f"{READ_MARKER} onderzoek", valid_from=hr.on, valid_until=hr.on)
        access_services.access_request_decide(actor=goal_factories.viewer(second),
                                              request=earlier, grant=True)
        goal = p.employee.goals.get()
        access_services.access_read_log(viewer=goal_factories.viewer(p.hr),
                                        subject=p.employee, scope=Scope.GOALS, record=goal,
                                        label=goal.title)
    hr = goal_factories.viewer(p.hr)
    pending = access_services.access_request_create(
        actor=hr, subject=p.employee, scope=Scope.ALL, reason=f"{READ_MARKER} dossier",
        valid_from=hr.on, valid_until=hr.on)
    return {"access_request": pending.pk}


def _work_plan(p: personas.Personas) -> dict[str, Any]:
    """The employee's draft work plan: the organisation switches the plan on first."""
    assert p.hr.user is not None
    organisation = p.employee.organisation
    rulebook.policy_settings_change(organisation=organisation,
                                    values={"individual_work_plan": True}, actor=p.hr.user)
    plan = conversation_services.work_plan_draft(
        actor=goal_factories.viewer(p.employee),
        expected_performance=f"{GOAL_MARKER} werkplan")
    return {"work_plan": plan.pk}


def _mediation(p: personas.Personas) -> dict[str, Any]:
    """The employee asked their next-higher manager (the 2nd evaluator) to mediate about
    a held functioning conversation: the organisation switches mediation on first."""
    assert p.hr.user is not None
    rulebook.policy_settings_change(organisation=p.employee.organisation,
                                    values={"disagreement_mediation": True}, actor=p.hr.user)
    starts = dt.datetime(2099, 4, 1, 10, tzinfo=dt.UTC)
    manager = goal_factories.viewer(p.manager)
    conversation = conversation_services.conversation_schedule(
        actor=manager, employee=p.employee, kind=ConversationKind.FUNCTIONING,
        starts_at=starts, ends_at=starts + dt.timedelta(hours=1), location="Lokaal 2")
    conversation = conversation_services.conversation_hold(
        actor=manager, conversation=conversation, report="Verslag")
    mediation = conversation_services.mediation_request(
        actor=goal_factories.viewer(p.employee), conversation=conversation,
        mediator_kind="next_manager", account=f"{MEDIATION_MARKER} verslag")
    assert mediation.mediator == p.department.manager
    return {"mediation": mediation.pk}


def _evaluation(p: personas.Personas) -> dict[str, Any]:
    """The employee's annual evaluation of 2026 as a draft: a self-evaluation being
    written (not submitted) and the 1st evaluator's draft report."""
    participation = Participation.objects.get(person=p.employee, cycle__year=2026)
    evaluation = evaluation_services.evaluation_for_participation(
        actor=goal_factories.viewer(p.manager), participation=participation)
    evaluation_services.self_evaluation_save(
        actor=goal_factories.viewer(p.employee), evaluation=evaluation,
        overall=f"{SELF_MARKER} mijn jaar", items={}, expected_revision=0)
    evaluation_services.report_save(
        actor=goal_factories.viewer(p.manager), evaluation=evaluation,
        overall=f"{REPORT_MARKER} ontwerp", items={}, verdict="voldoende",
        advanced_evaluation_on=None, expected_revision=0)
    return {"evaluation": evaluation.pk}


def _probation(p: personas.Personas) -> dict[str, Any]:
    """The employee's Flemish probation of six months, recorded by HR."""
    probation = probation_records.probation_record(
        actor=goal_factories.viewer(p.hr), person=p.employee, reason="recruitment",
        starts_on=p.employee.start_date, months=6, mentor=p.colleague)
    return {"probation": probation.pk}


def _development(p: personas.Personas) -> dict[str, Any]:
    """The seeded catalogue with a competency profile; the employee's POP signed in the
    planning conversation and open for its follow-up (a row with a goal, a means, an
    action for HR and a follow-up entry); the three preparations, each shared."""
    organisation = p.employee.organisation
    catalogue_services.catalogue_seed(organisation=organisation)
    hr, employee = goal_factories.viewer(p.hr), goal_factories.viewer(p.employee)
    manager = goal_factories.viewer(p.manager)
    competency = Competency.objects.get(organisation=organisation, code="werk-structureren")
    action = DevelopmentAction.objects.get(organisation=organisation, code="zelfstudie")
    profile = catalogue_services.competency_profile_save(
        actor=hr, organisation=organisation, job_title="Matrix", competencies=[competency])
    plan = plan_services.plan_create(actor=manager, employee=p.employee)
    item = plan_services.plan_item_add(
        actor=manager, plan=plan, competency=competency, source=1, priority=1,
        success_indicators=f"{GOAL_MARKER} indicator").obj
    goal = plan_services.plan_goal_add(actor=manager, item=item,
                                       text=f"{GOAL_MARKER} ontwikkeldoel").obj
    means = plan_services.plan_means_add(actor=manager, item=item, action=action,
                                         description=f"{GOAL_MARKER} middel").obj
    # HR reads what it is asked to arrange: no marker there.
    hr_action = plan_services.plan_hr_action_add(
        actor=manager, item=item, action=action, description="Boek bestellen").obj
    plan_services.plan_sign(actor=manager, plan=plan)
    plan_services.plan_sign(actor=employee, plan=plan)
    plan_services.plan_round_start(actor=manager, plan=plan)
    entry = plan_services.plan_follow_up_add(actor=manager, item=item,
                                             text=f"{GOAL_MARKER} opvolging").obj
    own = preparation_services.employee_preparation_start(actor=employee)
    preparation_services.employee_preparation_save(
        actor=employee, preparation=own, changes={"strengths": f"{GOAL_MARKER} sterk"})
    preparation_services.employee_preparation_share(actor=employee, preparation=own)
    view = preparation_services.department_preparation_start(actor=manager, unit=p.team)
    preparation_services.department_preparation_save(
        actor=manager, preparation=view, changes={"staffing": f"{GOAL_MARKER} bezetting"})
    preparation_services.department_preparation_share(actor=manager, preparation=view)
    about = preparation_services.manager_preparation_start(
        actor=manager, employee=p.employee, department_view=view)
    preparation_services.manager_preparation_save(
        actor=manager, preparation=about, changes={"overall_impression": f"{GOAL_MARKER} goed"})
    preparation_services.manager_preparation_share(actor=manager, preparation=about)
    training_plan = training_plan_services.training_plan_create(
        actor=hr, organisation=organisation, title="Opleidingsplan", valid_from=hr.on,
        valid_until=hr.on + dt.timedelta(days=365), competencies=[competency])
    return {"training_plan": training_plan.pk,
            "competency": competency.pk, "development_action": action.pk,
            "competency_profile": profile.pk, "development_plan": plan.pk,
            "plan_item": item.pk, "plan_goal": goal.pk, "plan_means": means.pk,
            "hr_action": hr_action.pk, "follow_up": entry.pk,
            "employee_preparation": own.pk, "department_preparation": view.pk,
            "manager_preparation": about.pk}


def _improvement(p: personas.Personas) -> dict[str, Any]:
    """The employee's running improvement plan, started by the 1st evaluator, its why
    private to the employee and the evaluators."""
    manager = goal_factories.viewer(p.manager)
    today = clock.today()
    plan = improvement_services.plan_start(
        actor=manager, employee=p.employee, grounds=f"{NOTE_MARKER} verbeterpunten",
        goals=[improvement_services.NewGoal("Sneller antwoorden", "90 % binnen 2 dagen")],
        support="Coaching", period_start=today, period_end=today + dt.timedelta(days=92))
    improvement_services.plan_sign(actor=manager, plan=plan)
    improvement_services.plan_sign(actor=goal_factories.viewer(p.employee), plan=plan)
    return {"improvement_plan": plan.pk,
            "improvement_follow_up": plan.follow_ups.order_by("number").first().pk}


def _consequences(p: personas.Personas) -> dict[str, Any]:
    """A member of each body; the employee (statutory, evaluation-based salary system) with
    a step-0 decision on the evaluation of 2024 and an objection before the advisory body,
    and the onvoldoende of 2025 under appeal before the appeal board."""
    members = consequence_factories.bodies(p)
    consequence_factories.evaluation_based(p.employee)
    earlier = consequence_factories.delivered(p, p.employee, year=2024)
    decision = consequence_factories.decide(members.management, {earlier: 0},
                                            day=dt.date(2025, 1, 10))[0]
    objection = consequence_factories.objection(decision,
                                                grounds=f"{OBJECTION_MARKER} tegenspraak")
    appealed = consequence_factories.delivered(p, p.employee, verdict="onvoldoende",
                                               overall=f"{FILE_MARKER} verslag")
    appeal = consequence_factories.appeal(p, appealed, grounds=f"{GROUNDS_MARKER} beroep")
    return {"appeal": appeal.pk, "salary_decision": decision.pk,
            "salary_objection": objection.pk,
            f"user:{Rel.MANAGEMENT_BODY.name}": members.management.user_id,
            f"user:{Rel.ADVISORY_BODY.name}": members.advisory.user_id,
            f"user:{Rel.APPEAL_BOARD.name}": members.board.user_id}


def _assessment_objection(p: personas.Personas) -> dict[str, Any]:
    """An objection, not decided yet, to the employee's delivered evaluation of 2024. The
    world's regime (Flemish) has no objection to an assessment, so the row is written as
    a Dutch formal assessment's objection is: the decision's page and operation are HR's."""
    delivered = Evaluation.objects.filter(person=p.employee, state__in=DELIVERED_GROUP,
                                          period_end__year=2024).get()
    assert p.employee.user is not None
    objection = Objection.objects.create(evaluation=delivered, filed_on=dt.date(2025, 1, 20),
                                         text="Ik maak bezwaar tegen de beoordeling.",
                                         recorded_by=p.employee.user)
    return {"assessment_objection": objection.pk}


def _security(p: personas.Personas) -> dict[str, Any]:
    """The organisation's security officer, in the top unit."""
    officer = factories.person(p.top, with_user=True, first_name="Sofie")
    factories.grant(officer, Role.SECURITY_OFFICER)
    return {f"user:{Rel.SECURITY_OFFICER.name}": officer.user_id}


def _director(p: personas.Personas) -> dict[str, Any]:
    """A director of the employee's department, reading its reports (a Dutch setting
    switched on for this world); in the top unit and in nobody's evaluator line, so the
    grant is all they hold."""
    assert p.hr.user is not None
    director = factories.person(p.top, with_user=True, first_name="Dora")
    factories.grant(director, Role.DIRECTOR, p.department)
    rulebook.policy_setting_change(organisation=p.employee.organisation,
                                   name="director_reads_reports", value=True, actor=p.hr.user)
    return {f"user:{Rel.DIRECTOR.name}": director.user_id}


def _former_evaluators(p: personas.Personas) -> dict[str, Any]:
    """Fiona was the employee's 1st and Tom their 2nd evaluator through an override that
    ended; Tom has since moved to the other team. The employee's draft evaluation still
    names them (as it would have, before evaluations followed the line)."""
    assert p.hr.user is not None
    fiona = factories.person(p.department, with_user=True, first_name="Fiona")
    tom = factories.person(p.team, with_user=True, first_name="Tom")
    organisation_services.evaluator_override_create(
        person=p.employee, first_evaluator=fiona, second_evaluator=tom,
        valid_from=dt.date(2023, 1, 1), valid_until=dt.date(2023, 12, 31), reason="Interim",
        actor=p.hr.user)
    organisation_services.person_save(organisation=tom.organisation, person=tom,
                                      unit=p.other_team, actor=p.hr.user)
    Evaluation.objects.filter(person=p.employee, state=EvaluationState.DRAFT).update(
        first_evaluator=fiona, second_evaluator=tom)
    return {f"user:{Rel.FORMER_FIRST.name}": fiona.user_id,
            f"user:{Rel.FORMER_SECOND.name}": tom.user_id}


def _api_token(p: personas.Personas) -> dict[str, Any]:
    """A read-only token of the employee's; and a kind of error to describe."""
    assert p.employee.user is not None
    made = tokens.token_create(user=p.employee.user, name="matrix", scope=TokenScope.READ,
                               expires_on=clock.today() + dt.timedelta(days=30))
    return {"api_token": made.token.pk, "problem_code": "not_found"}


def _look(p: personas.Personas) -> dict[str, Any]:
    """The organisation's own colour and logo, so that its stylesheet and logo answer."""
    assert p.hr.user is not None
    look.organisation_look_save(organisation=p.employee.organisation, actor=p.hr.user,
                                change=look.LookChange(primary_colour="#1d4f91",
                                                       logo=looks.image()))
    return {}


def _rendering(p: personas.Personas) -> dict[str, Any]:
    """The employee's data asked for as a PDF (waiting for a worker)."""
    rendering = renderings.rendering_request(viewer=goal_factories.viewer(p.employee),
                                             kind="access.personal_data",
                                             subject_id=p.employee.pk)
    return {"rendering": rendering.pk}


BODY_RELATIONS = (Rel.MANAGEMENT_BODY, Rel.ADVISORY_BODY, Rel.APPEAL_BOARD,
                  Rel.SECURITY_OFFICER, Rel.DIRECTOR, Rel.FORMER_FIRST, Rel.FORMER_SECOND)
EXTRA_BUILDERS: list[Callable[[personas.Personas], dict[str, Any]]] = [
    _conversation, _access_request, _work_plan, _mediation, _evaluation, _probation, _development,
    _improvement,
    _consequences, _assessment_objection,
    _security, _director, _former_evaluators, _api_token, _rendering, _look]

# The kind of object a URL parameter names: by its name, or for ``pk`` by the path
# segment before it.
KIND_BY_NAME = {
    "person_id": "person", "unit_id": "unit", "unit_pk": "unit", "goal_id": "goal",
    "cycle_id": "cycle", "organisation_id": "organisation",
    "participation_id": "participation", "participation_pk": "participation",
    "override_pk": "override", "override_id": "override",
    "notification_id": "notification", "year": "year", "setting": "setting", "name": "setting",
    "kind": "import_kind", "file_format": "file_format", "token": "calendar_token",
    "conversation_id": "conversation", "request_id": "access_request",
    "work_plan_id": "work_plan", "evaluation_id": "evaluation",
    "competency_id": "competency", "action_id": "development_action",
    "plan_id": "development_plan", "row_id": "plan_item", "plan_goal_id": "plan_goal",
    "means_id": "plan_means", "hr_action_id": "hr_action",
    "training_plan_id": "training_plan", "token_id": "api_token", "code": "problem_code",
    "rendering_id": "rendering", "probation_id": "probation",
    "improvement_plan_id": "improvement_plan", "improvement_follow_up_id": "improvement_follow_up",
    "employee_preparation_id": "employee_preparation",
    "department_preparation_id": "department_preparation",
    "manager_preparation_id": "manager_preparation",
    "appeal_id": "appeal", "decision_id": "salary_decision", "objection_id": "salary_objection",
    "evaluation_objection_id": "assessment_objection",
    "step": "step", "profile_id": "competency_profile", "follow_up_id": "follow_up",
    "import_id": "import_batch", "mediation_id": "mediation",
}
KIND_BY_SEGMENT = {
    "people": "person", "units": "unit", "goals": "goal", "cycles": "cycle",
    "organisations": "organisation", "import": "import_batch",
    "notifications": "notification", "conversations": "conversation",
    "requests": "access_request", "work-plans": "work_plan", "evaluations": "evaluation",
    "competencies": "competency", "development-actions": "development_action",
    "competency-profiles": "competency_profile", "preparations": "employee_preparation",
    "unit-preparations": "department_preparation",
    "manager-preparations": "manager_preparation", "plans": "development_plan",
    "plan-rows": "plan_item", "plan-goals": "plan_goal", "plan-means": "plan_means",
    "hr-actions": "hr_action", "follow-ups": "follow_up", "training-plans": "training_plan",
    "appeals": "appeal", "salary-decisions": "salary_decision", "objections": "salary_objection",
    "api-tokens": "api_token", "documents": "rendering", "probations": "probation",
    "improvement": "improvement_plan", "improvement-follow-ups": "improvement_follow_up",
    "evaluation-objections": "assessment_objection", "planning": "participation",
    "mediations": "mediation",
}


@dataclass(frozen=True)
class Endpoint:
    key: str  # the EXPECTED key
    method: str  # GET for web pages (POST is tried too)
    route: str  # "people/<int:pk>/" or "/api/v1/people/{person_id}"
    api: bool


def web_patterns(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from web_patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name or repr(entry.callback)


def endpoints() -> list[Endpoint]:
    found: list[Endpoint] = []
    api_routes: set[str] = set()
    for route, name in web_patterns(get_resolver().url_patterns):
        if route.startswith(SKIPPED_PREFIXES) or route in API_DOCS:
            continue
        if route.startswith(API_PREFIX):
            api_routes.add(re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", "/" + route))
            continue
        found.append(Endpoint(key=name, method="GET", route=route, api=False))
    schema = api.get_openapi_schema()
    schema_routes = set()
    for path, operations in schema["paths"].items():
        schema_routes.add(path)
        for method in operations:
            found.append(Endpoint(key=f"api:{method.upper()} {path}", method=method.upper(),
                                  route=path, api=True))
    missing = api_routes - schema_routes
    assert not missing, f"API routes missing from the OpenAPI schema: {sorted(missing)}"
    return found


def parameters(endpoint: Endpoint) -> list[tuple[str, str]]:
    """``(name, kind)`` for each URL parameter; kind '' when nothing names it."""
    pattern = r"\{(\w+)\}" if endpoint.api else r"<(?:\w+:)?(\w+)>"
    result = []
    for match in re.finditer(pattern, endpoint.route):
        name = match.group(1)
        before = [s for s in endpoint.route[: match.start()].split("/") if s]
        kind = KIND_BY_NAME.get(name) or (
            KIND_BY_SEGMENT.get(before[-1], "") if name == "pk" and before else "")
        result.append((name, kind))
    return result


def url_of(endpoint: Endpoint, ids: dict[str, Any]) -> str | None:
    """The URL with the employee's ids filled in, or None when a builder is missing."""
    url = endpoint.route
    for name, kind in parameters(endpoint):
        if kind not in ids:
            return None
        value = str(ids[kind])
        placeholder = "{" + name + "}" if endpoint.api else None
        url = url.replace(placeholder, value) if placeholder else \
            re.sub(r"<(?:\w+:)?" + name + ">", value, url)
    return url if endpoint.api else "/" + url


def reader_of(world: World, endpoint: Endpoint) -> Rel | None:
    """Who reads the page in a check that needs one reader: the employee where they may
    read it, else the first relation that may; None for a page nobody in the world reads
    (a decision that is not theirs to take yet)."""
    allowed = EXPECTED.get(endpoint.key)
    if allowed is None or Rel.EMPLOYEE in allowed:
        return Rel.EMPLOYEE
    readers = sorted(rel for rel in allowed if world.users.get(rel) is not None)
    return readers[0] if readers else None


def _refused(response: Any, *, api: bool) -> bool:
    if response.status_code in (401, 403, 404, 405):
        return True
    if api and response.status_code == 422:
        # The API validates a body before the view runs; an empty one never got further.
        return True
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


def session_login(client: Client, user: User) -> None:
    client.force_login(user)


def token_login(client: Client, user: User) -> None:
    """Call as ``user`` through a personal API token that may read and write, with no
    session at all (access/tokens.py)."""
    made = tokens.token_create(user=user, name="matrix", scope=TokenScope.WRITE,
                               expires_on=clock.today() + dt.timedelta(days=1))
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {made.secret}"


def check(world: World, selected: list[Endpoint],
          expected: dict[str, frozenset[Rel] | None] | None = None,
          login: Callable[[Client, User], None] = session_login) -> list[str]:
    """Every problem found calling ``selected`` as every relation, each signed in by
    ``login`` (the session, or an API token), and every answer without the headers each
    answer carries (tests/security/headers.py).

    Calls against the project's own table count in the security report: the pairs, the
    leaks (a marker shown, a denied caller not refused) and the answers whose headers were
    checked. (A test that passes a table of its own, to prove the check works, does not.)"""
    table = EXPECTED if expected is None else expected
    counted = expected is None
    via = "an API token" if login is token_login else "a session"
    problems: list[str] = []
    for endpoint in selected:
        if endpoint.key not in table:
            problems.append(f"{endpoint.key}: add it to EXPECTED in tests/access/matrix.py")
            continue
        allowed = table[endpoint.key]
        url = url_of(endpoint, world.ids)
        if url is None:
            kinds = [k or name for name, k in parameters(endpoint) if k not in world.ids]
            problems.append(f"{endpoint.key}: add a builder for {', '.join(kinds)} "
                            "(tests/access/matrix.py)")
            continue
        if counted and login is session_login:
            figures.record("Headers", f"{'API operations' if endpoint.api else 'pages'} checked")
        for rel, user in world.users.items():
            if counted:
                figures.record(REPORT, f"(route, relation) pairs checked through {via}")
            client = Client()
            if user is not None:
                login(client, user)
            denied = allowed is not None and rel not in allowed
            methods = [endpoint.method]
            if not endpoint.api and denied:
                methods.append("POST")
            for method in methods:
                if endpoint.api and method != "GET":
                    if not denied:
                        continue  # writes by allowed callers are the API tests' business
                    response = client.generic(method, url, data=json.dumps({}),
                                              content_type="application/json")
                elif method == "POST":
                    response = client.post(url, {})
                else:
                    response = client.get(url)
                label = f"{method} {url} ({endpoint.key}) as {rel}"
                body = response.content.decode("utf-8", errors="replace")
                leaks = [f"{label}: shows {marker!r}" for marker, readers in MARKERS.items()
                         if marker in body and rel not in readers]
                if denied and not _refused(response, api=endpoint.api):
                    leaks.append(f"{label}: not refused ({response.status_code})")
                lacking = headers.missing(response.headers,
                                          cacheable=endpoint.key in headers.CACHEABLE)
                problems += leaks + [f"{label}: no {name} header" for name in lacking]
                if counted:
                    figures.record(REPORT, "leaks", len(leaks))
                    figures.record("Headers", "responses checked", 1)
                    figures.record("Headers", "missing headers", len(lacking))
                if (allowed is not None and not denied and method == "GET"
                        and response.status_code in (403, 404)):
                    problems.append(f"{label}: refused ({response.status_code}) but the "
                                    "table allows it")
    return problems
