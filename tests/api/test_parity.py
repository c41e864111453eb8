"""Parity: every action a page offers has an API operation.

``PARITY`` holds one entry per web route (by URL name): the API operations that do what
the page does ("api:METHOD /path", as in tests/access/matrix.py), or a reason why no
operation is needed. A new page without an entry, an entry naming an operation the
schema does not have, and a reason that is no reason (a few words, or a promise such as
"not yet") fail here.

``MISSING`` lists the pages whose actions have no operation yet. It only shrinks, and it
is empty: every page has its operations or its reason, so a new page comes with them.
"""

from tests.access import matrix


class Reason(str):
    """Why a page needs no operation of its own."""


ENDPOINTS = matrix.endpoints()
WEB_ROUTES = {e.key for e in ENDPOINTS if not e.api}
API_OPERATIONS = {e.key for e in ENDPOINTS if e.api}

# Reasons given more than once.
NAV = Reason("a navigation link that redirects to the page of the caller's organisation; "
             "a script names the organisation in the URL")
PROBE = Reason("an operational endpoint for load balancers and the metrics scraper, "
               "not a person's action; it already answers machines")
HTMX = Reason("an HTML fragment the row form swaps in while one types; the same advice "
              "is GET /competencies/{id}/advice")

Ops = tuple[str, ...]
PARITY: dict[str, Ops | Reason] = {
    # The interface itself.
    "home": ("api:GET /api/v1/me", "api:GET /api/v1/me/tasks"),
    "language": Reason("switches the interface's language (a cookie, and the person's "
                       "choice for the pages); the API answers in the person's language "
                       "and says which in Content-Language"),
    "health_live": PROBE, "health_ready": PROBE, "metrics": PROBE,
    # People and units.
    "person_detail": ("api:GET /api/v1/people/{person_id}",),
    "person_edit": ("api:PATCH /api/v1/people/{person_id}",),
    "person_create": ("api:POST /api/v1/units/{unit_id}/people",),
    "override_create": ("api:POST /api/v1/people/{person_id}/evaluator-overrides",),
    "override_end": ("api:POST /api/v1/people/{person_id}/evaluator-overrides/"
                     "{override_id}/end",),
    "effective_work_edit": ("api:GET /api/v1/people/{person_id}/effective-work/{year}",
                            "api:PUT /api/v1/people/{person_id}/effective-work/{year}"),
    "unit_detail": ("api:GET /api/v1/units/{unit_id}", "api:GET /api/v1/units/{unit_id}/people"),
    "unit_rank_check": ("api:GET /api/v1/units/{unit_id}/rank-check",),
    "person_other_evaluation": ("api:PUT /api/v1/people/{person_id}/other-evaluation",),
    "planning_detail": ("api:GET /api/v1/participations/{participation_id}/planning",),
    "planning_sign": ("api:POST /api/v1/participations/{participation_id}/planning/signatures",),
    "my_mediations": ("api:GET /api/v1/mediations",),
    "conversation_mediation_new": ("api:POST /api/v1/mediations",),
    "work_plan_mediation_new": ("api:POST /api/v1/mediations",),
    "mediation_detail": ("api:GET /api/v1/mediations/{mediation_id}",),
    "mediation_outcome": ("api:POST /api/v1/mediations/{mediation_id}/outcome",),
    "unit_edit": ("api:PUT /api/v1/units/{unit_id}",),
    "unit_delete": ("api:DELETE /api/v1/units/{unit_id}",),
    "unit_create": ("api:POST /api/v1/units",),
    "unit_tree": ("api:GET /api/v1/organisations",),
    "person_timeline": ("api:GET /api/v1/people/{person_id}/timeline",
                        "api:GET /api/v1/people/{person_id}/history"),
    "participation_period": ("api:PUT /api/v1/participations/{participation_id}/agreed-period",),
    "participation_leaving": ("api:PUT /api/v1/participations/{participation_id}/leaving",),
    # HR's CSV/XLSX imports: the upload answers with its dry run; a task worker applies.
    "import_start": ("api:POST /api/v1/imports",),
    "import_batch": ("api:GET /api/v1/imports/{import_id}",),
    "import_apply": ("api:POST /api/v1/imports/{import_id}/apply",),
    "import_template": ("api:GET /api/v1/imports/templates/{kind}",),
    # Policy and the employer sign-in.
    "policy_start": NAV,
    "policy_detail": ("api:GET /api/v1/organisations/{organisation_id}/policy",),
    "policy_edit": ("api:PATCH /api/v1/organisations/{organisation_id}/policy",
                    "api:PUT /api/v1/organisations/{organisation_id}/policy/{setting}"),
    # A null value resets a setting to its preset.
    "policy_reset": ("api:PUT /api/v1/organisations/{organisation_id}/policy/{setting}",),
    "employer_sign_in": ("api:GET /api/v1/organisations/{organisation_id}/sign-in",
                         "api:PUT /api/v1/organisations/{organisation_id}/sign-in"),
    "organisation_look": ("api:GET /api/v1/organisations/{organisation_id}/look",
                          "api:PUT /api/v1/organisations/{organisation_id}/look",
                          "api:POST /api/v1/organisations/{organisation_id}/look/logo",
                          "api:DELETE /api/v1/organisations/{organisation_id}/look/logo"),
    "organisation_theme": Reason("the stylesheet the pages link for the organisation's "
                                 "colour; GET /organisations/{id}/look gives its address"),
    "organisation_logo": Reason("the image the pages' header shows; GET "
                                "/organisations/{id}/look gives its address"),
    # Cycles.
    "cycle_list": ("api:GET /api/v1/cycles", "api:POST /api/v1/cycles"),
    "cycle_detail": ("api:GET /api/v1/cycles/{cycle_id}",),
    "cycle_resume": ("api:POST /api/v1/cycles/{cycle_id}/resume",),
    "cycle_dashboard": ("api:GET /api/v1/cycles/{cycle_id}/dashboard",),
    "cycle_dashboard_late": ("api:GET /api/v1/cycles/{cycle_id}/late/{step}",
                             "api:POST /api/v1/cycles/{cycle_id}/late/{step}/reminders"),
    "cycle_dashboard_unit": ("api:GET /api/v1/cycles/{cycle_id}/dashboard",),
    # Kind cycles.dashboard (subject: the unit; parameters cycle and format csv or xlsx).
    "cycle_dashboard_export": ("api:POST /api/v1/renderings",),
    # Notifications.
    "notifications": ("api:GET /api/v1/me/notifications",),
    "notification_read": ("api:POST /api/v1/me/notifications/{notification_id}/read",),
    "notifications_read_all": ("api:POST /api/v1/me/notifications/read",),
    # Access to personal data, tokens, the security log, undelivered mail.
    "access_request_new": ("api:POST /api/v1/people/{person_id}/access-requests",),
    "access_requests": ("api:GET /api/v1/access-requests",),
    "access_request_decide": ("api:POST /api/v1/access-requests/{request_id}/decision",),
    "my_reads": ("api:GET /api/v1/me/access-reads",),
    "api_tokens": ("api:GET /api/v1/me/api-tokens", "api:POST /api/v1/me/api-tokens"),
    "api_token_revoke": ("api:DELETE /api/v1/me/api-tokens/{token_id}",),
    "my_data": ("api:GET /api/v1/me/personal-data",),
    "my_data_json": ("api:GET /api/v1/me/personal-data",),
    # Kind access.personal_data.
    "my_data_pdf": ("api:POST /api/v1/renderings",),
    "rendering_detail": ("api:GET /api/v1/renderings/{rendering_id}",),
    "rendering_download": ("api:GET /api/v1/renderings/{rendering_id}/pdf",),
    "undelivered_mail": ("api:GET /api/v1/mail/undelivered",),
    "security_log": ("api:GET /api/v1/security/refusals",),
    # Kind access.security_log, format csv or xlsx.
    "security_log_export": ("api:POST /api/v1/renderings",),
    # Goals.
    "my_goals": ("api:GET /api/v1/me/goals",),
    "team_goals": ("api:GET /api/v1/team-goals",),
    "team_goal_new": ("api:POST /api/v1/team-goals",),
    "goal_detail": ("api:GET /api/v1/goals/{goal_id}",),
    "goal_edit": ("api:PATCH /api/v1/goals/{goal_id}",),
    "goal_confirm": ("api:POST /api/v1/goals/{goal_id}/confirm",),
    "goal_status": ("api:POST /api/v1/goals/{goal_id}/status",),
    "goal_comment": ("api:POST /api/v1/goals/{goal_id}/comments",),
    "person_goals": ("api:GET /api/v1/people/{person_id}/goals",),
    "goal_new": ("api:POST /api/v1/goals",),
    # Conversations and work plans.
    "team_overview": ("api:GET /api/v1/me/team/overview",),
    "department_reports": ("api:GET /api/v1/department/conversation-reports",),
    "conversation_cancel": ("api:POST /api/v1/conversations/{conversation_id}/cancel",),
    "conversation_hold": ("api:POST /api/v1/conversations/{conversation_id}/hold",),
    "conversation_report": ("api:PUT /api/v1/conversations/{conversation_id}/report",),
    "conversation_confirm": ("api:POST /api/v1/conversations/{conversation_id}/confirm",),
    "conversation_agenda": ("api:POST /api/v1/conversations/{conversation_id}/agenda",),
    "conversation_reschedule": ("api:POST /api/v1/conversations/{conversation_id}/reschedule",),
    "conversation_amend": ("api:POST /api/v1/conversations/{conversation_id}/amendments",),
    "conversation_holder": ("api:PUT /api/v1/conversations/{conversation_id}/holder",),
    "person_conversations": ("api:GET /api/v1/people/{person_id}/conversations",),
    # One's own: the person's id is in GET /api/v1/me.
    "my_conversations": ("api:GET /api/v1/people/{person_id}/conversations",),
    "conversation_detail": ("api:GET /api/v1/conversations/{conversation_id}",),
    "conversation_new": ("api:POST /api/v1/conversations",),
    # The page and the API read the link (GET) and make it (POST).
    "calendar_settings": ("api:GET /api/v1/me/calendar",),
    "calendar_make": ("api:POST /api/v1/me/calendar",),
    "calendar_renew": ("api:POST /api/v1/me/calendar/renew",),
    "calendar_feed": Reason("is itself the machine-readable face: an iCalendar feed that "
                            "calendar applications read with its secret link"),
    # One's own: the person's id is in GET /api/v1/me.
    "my_work_plans": ("api:GET /api/v1/people/{person_id}/work-plans",),
    "work_plan_new": ("api:POST /api/v1/work-plans",),
    "work_plan_detail": ("api:GET /api/v1/work-plans/{work_plan_id}",),
    "work_plan_edit": ("api:PATCH /api/v1/work-plans/{work_plan_id}",),
    "work_plan_comment": ("api:POST /api/v1/work-plans/{work_plan_id}/comments",),
    "work_plan_confirm": ("api:POST /api/v1/work-plans/{work_plan_id}/confirm",),
    "person_work_plans": ("api:GET /api/v1/people/{person_id}/work-plans",),
    # Evaluations and probation.
    "my_evaluations": ("api:GET /api/v1/me/evaluations", "api:GET /api/v1/me/evaluation-tasks"),
    "evaluation_detail": ("api:GET /api/v1/evaluations/{evaluation_id}",
                          "api:GET /api/v1/evaluations/{evaluation_id}/versions"),
    "evaluation_self": ("api:PUT /api/v1/evaluations/{evaluation_id}/self-evaluation",
                        "api:POST /api/v1/evaluations/{evaluation_id}/self-evaluation/submit"),
    "evaluation_report": ("api:PUT /api/v1/evaluations/{evaluation_id}/report",),
    "evaluation_sign": ("api:POST /api/v1/evaluations/{evaluation_id}/sign",),
    "evaluation_written_procedure": (
        "api:PUT /api/v1/evaluations/{evaluation_id}/written-procedure",),
    "evaluation_send_draft": ("api:POST /api/v1/evaluations/{evaluation_id}/send-draft",),
    "evaluation_draft_remarks": ("api:POST /api/v1/evaluations/{evaluation_id}/draft-remarks",),
    "evaluation_correct": ("api:POST /api/v1/evaluations/{evaluation_id}/correct",),
    "evaluation_close_unsigned": ("api:POST /api/v1/evaluations/{evaluation_id}/close-unsigned",),
    "evaluation_cancel": ("api:POST /api/v1/evaluations/{evaluation_id}/cancel",),
    "evaluation_objection": ("api:POST /api/v1/evaluations/{evaluation_id}/objections",),
    "evaluation_objection_decide": (
        "api:POST /api/v1/evaluation-objections/{evaluation_objection_id}/decision",),
    "evaluation_pdf": ("api:POST /api/v1/evaluations/{evaluation_id}/pdf",),
    "person_evaluations": ("api:GET /api/v1/people/{person_id}/evaluations",),
    # Kind formal_assessment, and probation below.
    "formal_assessment_new": ("api:POST /api/v1/people/{person_id}/evaluations",),
    "probation_evaluation_new": ("api:POST /api/v1/people/{person_id}/evaluations",),
    "participation_evaluation": (
        "api:POST /api/v1/participations/{participation_id}/evaluation",),
    "person_probation": ("api:GET /api/v1/people/{person_id}/probation",),
    "probation_new": ("api:POST /api/v1/people/{person_id}/probations",),
    "probation_detail": ("api:GET /api/v1/probations/{probation_id}",),
    "probation_absences": ("api:PUT /api/v1/probations/{probation_id}/absences",),
    "stage_outcome": ("api:POST /api/v1/probations/{probation_id}/outcome",),
    # Development: the catalogue.
    "development_catalogue": NAV,
    "competency_catalogue": ("api:GET /api/v1/organisations/{organisation_id}/competencies",),
    "competency_new": ("api:POST /api/v1/organisations/{organisation_id}/competencies",),
    "cluster_new": ("api:POST /api/v1/organisations/{organisation_id}/competency-clusters",),
    "competency_detail": ("api:GET /api/v1/competencies/{competency_id}/advice",),
    "competency_edit": ("api:PATCH /api/v1/competencies/{competency_id}",),
    "recommendation_edit": (
        "api:PUT /api/v1/competencies/{competency_id}/recommendations/{action_id}",),
    "action_catalogue": (
        "api:GET /api/v1/organisations/{organisation_id}/development-actions",),
    "action_new": ("api:POST /api/v1/organisations/{organisation_id}/development-actions",),
    "action_edit": ("api:PATCH /api/v1/development-actions/{action_id}",),
    "recommendation_matrix": ("api:GET /api/v1/organisations/{organisation_id}/recommendations",),
    "competency_profiles": (
        "api:GET /api/v1/organisations/{organisation_id}/competency-profiles",),
    "competency_profile_new": (
        "api:PUT /api/v1/organisations/{organisation_id}/competency-profiles",),
    "competency_profile_edit": (
        "api:PUT /api/v1/organisations/{organisation_id}/competency-profiles",),
    "competency_profile_delete": ("api:DELETE /api/v1/competency-profiles/{profile_id}",),
    "training_plans": ("api:GET /api/v1/organisations/{organisation_id}/training-plans",),
    "training_plan_new": ("api:POST /api/v1/organisations/{organisation_id}/training-plans",),
    "training_plan_edit": ("api:PATCH /api/v1/training-plans/{training_plan_id}",),
    "training_plan_remove": ("api:DELETE /api/v1/training-plans/{training_plan_id}",),
    # Development: the self-scan and the preparations.
    "self_scan": ("api:GET /api/v1/me/self-scan", "api:PUT /api/v1/me/self-scan"),
    "development_preparations": ("api:GET /api/v1/employee-preparations",
                                 "api:GET /api/v1/department-preparations",
                                 "api:GET /api/v1/manager-preparations"),
    "employee_preparation_new": ("api:POST /api/v1/employee-preparations",),
    "employee_preparation": (
        "api:GET /api/v1/employee-preparations/{employee_preparation_id}",
        "api:PATCH /api/v1/employee-preparations/{employee_preparation_id}"),
    "employee_preparation_share": (
        "api:POST /api/v1/employee-preparations/{employee_preparation_id}/share",),
    "department_preparation_new": ("api:POST /api/v1/department-preparations",),
    "department_preparation": (
        "api:GET /api/v1/department-preparations/{department_preparation_id}",
        "api:PATCH /api/v1/department-preparations/{department_preparation_id}"),
    "department_preparation_share": (
        "api:POST /api/v1/department-preparations/{department_preparation_id}/share",),
    "manager_preparation_new": ("api:POST /api/v1/people/{person_id}/manager-preparations",),
    "manager_preparation": (
        "api:GET /api/v1/manager-preparations/{manager_preparation_id}",
        "api:PATCH /api/v1/manager-preparations/{manager_preparation_id}"),
    "manager_preparation_share": (
        "api:POST /api/v1/manager-preparations/{manager_preparation_id}/share",),
    # Development: the POP.
    "my_development_plans": ("api:GET /api/v1/people/{person_id}/development-plans",),
    "person_development": ("api:GET /api/v1/people/{person_id}/development-plans",),
    "plan_new": ("api:POST /api/v1/development-plans",),
    "development_plan": ("api:GET /api/v1/development-plans/{plan_id}",),
    # Kind development.plan.
    "development_plan_pdf": ("api:POST /api/v1/renderings",),
    "plan_proposals": HTMX,
    "plan_item_new": ("api:POST /api/v1/development-plans/{plan_id}/rows",),
    "plan_remarks": ("api:PATCH /api/v1/development-plans/{plan_id}",),
    "plan_sign": ("api:POST /api/v1/development-plans/{plan_id}/sign",),
    "plan_round_new": ("api:POST /api/v1/development-plans/{plan_id}/rounds",),
    "plan_close": ("api:POST /api/v1/development-plans/{plan_id}/close",),
    "plan_cancel": ("api:POST /api/v1/development-plans/{plan_id}/cancel",),
    "plan_item_edit": ("api:PATCH /api/v1/plan-rows/{row_id}",),
    "plan_item_remove": ("api:DELETE /api/v1/plan-rows/{row_id}",),
    "plan_goal_new": ("api:POST /api/v1/plan-rows/{row_id}/goals",),
    "plan_means_new": ("api:POST /api/v1/plan-rows/{row_id}/means",),
    "plan_hr_action_new": ("api:POST /api/v1/plan-rows/{row_id}/hr-actions",),
    "plan_follow_up_new": ("api:POST /api/v1/plan-rows/{row_id}/follow-ups",),
    "plan_follow_up_edit": ("api:PATCH /api/v1/plan-follow-ups/{follow_up_id}",),
    "plan_follow_up_remove": ("api:DELETE /api/v1/plan-follow-ups/{follow_up_id}",),
    "plan_goal_edit": ("api:PATCH /api/v1/plan-goals/{plan_goal_id}",),
    "plan_goal_remove": ("api:DELETE /api/v1/plan-goals/{plan_goal_id}",),
    "plan_means_edit": ("api:PATCH /api/v1/plan-means/{means_id}",),
    "plan_means_remove": ("api:DELETE /api/v1/plan-means/{means_id}",),
    "plan_hr_action_edit": ("api:PATCH /api/v1/hr-actions/{hr_action_id}",),
    "plan_hr_action_remove": ("api:DELETE /api/v1/hr-actions/{hr_action_id}",),
    "hr_action_arrange": ("api:POST /api/v1/hr-actions/{hr_action_id}/status",),
    "training_demand": ("api:GET /api/v1/organisations/{organisation_id}/training-demand",),
    # Kind development.training_demand (subject: the organisation; parameters format,
    # table and status).
    "training_demand_export": ("api:POST /api/v1/renderings",),
    # Improvement plans.
    "person_improvement": ("api:GET /api/v1/people/{person_id}/improvement-plans",),
    "improvement_plan_new": ("api:POST /api/v1/improvement-plans",),
    "improvement_plan": ("api:GET /api/v1/improvement-plans/{improvement_plan_id}",),
    "improvement_plan_edit": ("api:PUT /api/v1/improvement-plans/{improvement_plan_id}",),
    "improvement_plan_sign": (
        "api:POST /api/v1/improvement-plans/{improvement_plan_id}/signatures",),
    "improvement_plan_remarks": (
        "api:POST /api/v1/improvement-plans/{improvement_plan_id}/remarks",),
    "improvement_plan_cancel": (
        "api:POST /api/v1/improvement-plans/{improvement_plan_id}/cancel",),
    "improvement_plan_extend": (
        "api:POST /api/v1/improvement-plans/{improvement_plan_id}/extension",),
    "improvement_plan_extension_agree": (
        "api:POST /api/v1/improvement-plans/{improvement_plan_id}/extension/agree",),
    "improvement_plan_decide": (
        "api:POST /api/v1/improvement-plans/{improvement_plan_id}/decision",),
    "improvement_follow_up_schedule": (
        "api:POST /api/v1/improvement-follow-ups/{improvement_follow_up_id}/schedule",),
    "improvement_follow_up_record": (
        "api:POST /api/v1/improvement-follow-ups/{improvement_follow_up_id}/report",),
    # Consequences: appeals, salary decisions, objections.
    "consequences": ("api:GET /api/v1/appeals", "api:GET /api/v1/objections",
                     "api:GET /api/v1/unfitness-flags"),
    "salary_worklist": ("api:GET /api/v1/organisations/{organisation_id}/salary-worklist",
                        "api:POST /api/v1/organisations/{organisation_id}/salary-decisions"),
    "salary_decision_detail": ("api:GET /api/v1/salary-decisions/{decision_id}",),
    "objection_new": ("api:POST /api/v1/salary-decisions/{decision_id}/objection",),
    "objection_detail": ("api:GET /api/v1/objections/{objection_id}",),
    "objection_advice": ("api:POST /api/v1/objections/{objection_id}/advice",),
    "objection_decide": ("api:POST /api/v1/objections/{objection_id}/decision",),
    "appeal_new": ("api:POST /api/v1/evaluations/{evaluation_id}/appeal",),
    "appeal_detail": ("api:GET /api/v1/appeals/{appeal_id}",),
    "unfitness_review": ("api:POST /api/v1/evaluations/{evaluation_id}/unfitness-review",),
    "appeal_file": ("api:GET /api/v1/appeals/{appeal_id}/file",),
    "appeal_hearing": ("api:POST /api/v1/appeals/{appeal_id}/hearing",),
    "appeal_advice": ("api:POST /api/v1/appeals/{appeal_id}/advice",),
    "appeal_outcome": ("api:POST /api/v1/appeals/{appeal_id}/outcome",),
}

# Pages whose actions have no API operation yet: the operation each will get, and what
# it does. This set only shrinks (``MISSING_AT_MOST``); once the operation exists, the
# page moves to PARITY.
MISSING: dict[str, tuple[str, str]] = {
}
MISSING_AT_MOST = 0


def test_every_web_route_has_an_entry() -> None:
    lacking = sorted(WEB_ROUTES - PARITY.keys() - MISSING.keys())

    assert lacking == [], (
        f"Pages without a parity entry: {lacking}. Add each to PARITY in "
        "tests/api/test_parity.py with the API operation(s) that do the same "
        "(\"api:METHOD /api/v1/...\"), or a Reason why no operation is needed.")


def test_the_table_names_only_routes_and_operations_that_exist() -> None:
    gone = sorted((PARITY.keys() | MISSING.keys()) - WEB_ROUTES)
    unknown = sorted(f"{route}: {op}" for route, entry in PARITY.items()
                     if not isinstance(entry, Reason)
                     for op in entry if op not in API_OPERATIONS)

    assert gone == [], f"Entries for pages that no longer exist: {gone}"
    assert unknown == [], f"Operations that the API schema does not have: {unknown}"


def test_every_entry_names_an_operation_or_gives_a_reason() -> None:
    empty = sorted(route for route, entry in PARITY.items()
                   if not entry or (isinstance(entry, Reason) and len(entry.split()) < 5))
    promises = sorted(route for route, entry in PARITY.items() if isinstance(entry, Reason)
                      and any(word in entry.lower() for word in PROMISES))
    loose = sorted(route for route, entry in PARITY.items()
                   if not isinstance(entry, Reason | tuple))

    assert empty == [], f"Entries without an operation or a reason: {empty}"
    assert loose == [], f"Give a tuple of operations or a Reason(...): {loose}"
    assert promises == [], (
        f"A promise is no reason: {promises}. Add the operation, or list the page in MISSING.")


PROMISES = ("not yet", "later", "todo", "to do", "for now")


def test_the_missing_list_only_shrinks() -> None:
    """A page in MISSING whose operation now exists leaves MISSING for PARITY; a new page
    does not go into MISSING: it gets its operation."""
    both = sorted(PARITY.keys() & MISSING.keys())
    # The renderings operation exists already: those pages wait for a kind, not for it.
    done = sorted(f"{route}: {operation}" for route, (operation, _) in MISSING.items()
                  if operation in API_OPERATIONS and operation != "api:POST /api/v1/renderings")

    assert both == [], f"Remove from MISSING, they have a PARITY entry now: {both}"
    assert done == [], f"These operations exist now: move the pages to PARITY: {done}"
    assert len(MISSING) <= MISSING_AT_MOST, (
        "MISSING only shrinks: give the new page its API operation instead.")
    assert len(MISSING) == MISSING_AT_MOST, (
        f"MISSING shrank: lower MISSING_AT_MOST to {len(MISSING)}.")
