"""Conversation pages: mine, a person's, scheduling and moving one, one conversation, the
calendar feed, the Dutch individual work plan and mediation in a disagreement.

Thin: the conversations room's permissions answer who may see and do what, its services
make every change.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.access.policy import Viewer
from koers.conversations import ical, permissions, selectors, services
from koers.conversations.models import Conversation, Mediation, WorkPlan
from koers.conversations.states import ConversationKind, ConversationStatus
from koers.core import clock
from koers.core.errors import DomainError, EditConflict, ValidationFailed
from koers.goals.models import Goal
from koers.improvement import selectors as improvement_selectors
from koers.organisation.models import Person
from koers.rulebook.deadlines import Period
from koers.web.conversations.forms import (
    AmendmentForm,
    ConfirmForm,
    HolderForm,
    HoldForm,
    MediationOutcomeForm,
    MediationRequestForm,
    ReportForm,
    RescheduleForm,
    ScheduleForm,
    WorkPlanCommentForm,
    WorkPlanForm,
)
from koers.web.page.confirm import confirm_page, confirmed
from koers.web.page.conflicts import Difference, differences, rebound
from koers.web.page.forms import apply_errors, cleaned
from koers.web.page.lookups import person_or_404
from koers.web.page.viewer import viewer_of


def _conversation_or_404(request: HttpRequest, pk: int) -> Conversation:
    conversation = permissions.conversation_for(viewer_of(request), pk)
    if conversation is None:
        raise Http404
    return conversation


def _list(request: HttpRequest, person: Person) -> HttpResponse:
    viewer = viewer_of(request)
    context = {
        "person": person,
        "is_me": viewer.person is not None and viewer.person.pk == person.pk,
        "conversations": selectors.conversations_read(viewer, person),
        "can_schedule": permissions.can_schedule_for(viewer, person),
    }
    return render(request, "conversations/list.html", context)


@login_required
def my_conversations(request: HttpRequest) -> HttpResponse:
    me = viewer_of(request).person
    if me is None:
        raise Http404
    return _list(request, me)


@login_required
def person_conversations(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's conversations as the viewer may see them (HR sees none by default)."""
    return _list(request, person_or_404(request, pk))


@login_required
def conversation_new(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    person = person_or_404(request, pk)
    if not permissions.can_schedule_for(viewer, person):
        raise Http404
    form = ScheduleForm(request.POST or None, spacing=selectors.spacing_applies(person),
                        combinable=permissions.may_combine_for(viewer, person),
                        initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.moments()
        try:
            conversation = services.conversation_schedule(
                actor=viewer, employee=person, kind=form.cleaned_data["kind"],
                starts_at=starts_at, ends_at=ends_at, location=form.cleaned_data["location"],
                online_link=form.cleaned_data["online_link"],
                in_writing=form.cleaned_data["in_writing"], agenda=form.agenda_items(),
                despite_spacing=form.schedules_anyway, combined_with_planning=form.combined,
            )
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The conversation is scheduled; the invitation is "
                                        "on its way."))
            return redirect("conversation_detail", conversation.pk)
    return render(request, "conversations/form.html", {"form": form, "person": person})


def _goals_of(conversation: Conversation) -> Any:
    return Goal.objects.filter(owner_id=conversation.employee_id).order_by("deadline", "pk")


@login_required
def conversation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


def _detail(request: HttpRequest, pk: int, *, report_form: ReportForm | None = None,
            conflict: list[Difference] | None = None) -> HttpResponse:
    """The conversation's page; after a report that met a newer save, with the user's
    own text in ``report_form`` and the ``conflict`` shown beside it."""
    viewer = viewer_of(request)
    conversation = selectors.conversation_read(viewer, pk)  # HR's read: logged
    if conversation is None:
        raise Http404
    held = conversation.status == ConversationStatus.HELD
    scheduled = conversation.status == ConversationStatus.SCHEDULED
    # A plan's follow-up is held by recording the follow-up on the plan (its form).
    follow_up = (improvement_selectors.follow_up_to_record(viewer, conversation)
                 if scheduled else None)
    context: dict[str, Any] = {
        "conversation": conversation,
        "title": ical.title(conversation),
        "agenda": list(selectors.agenda(conversation)),
        "goals_discussed": list(conversation.goals.all()) if held else [],
        "can_plan": scheduled and permissions.can_plan(viewer, conversation),
        "offers_manager_item": scheduled and selectors.offers_manager_functioning(
            viewer, conversation),
        "follow_up": follow_up,
        "hold_form": _hold_form(viewer, conversation)
        if scheduled and not conversation.improvement_follow_up
        and permissions.can_hold(viewer, conversation) else None,
        "report_form": (report_form or ReportForm(
            combined=conversation.combined_with_planning, initial={
                "report": conversation.report, "agreements": conversation.agreements,
                "revision": conversation.report_revision}))
        if held and permissions.can_hold(viewer, conversation)
        and not conversation.report_locked else None,
        "holder_form": HolderForm(
            candidates=selectors.holder_candidates(conversation, actor=viewer),
            initial={"holder": conversation.holder_id})
        if permissions.can_designate_holder(viewer, conversation) else None,
        "conflict": conflict,
        "can_confirm": permissions.can_confirm_report(viewer, conversation),
        "amendments": list(selectors.amendments_in(conversation))
        if held and conversation.kind == ConversationKind.PROGRESS else [],
        "amendment_form": AmendmentForm()
        if permissions.can_amend_work_plan(viewer, conversation) else None,
        "mediations": list(selectors.mediations_read(viewer, conversation=conversation))
        if held else [],
        "can_ask_mediation": permissions.may_ask_mediation_about_conversation(
            viewer, conversation),
    }
    return render(request, "conversations/detail.html", context)


def _hold_form(viewer: Viewer, conversation: Conversation, data: Any = None) -> HoldForm:
    return HoldForm(data, goals=_goals_of(conversation),
                    combinable=permissions.can_combine(viewer, conversation),
                    combined=conversation.combined_with_planning)


@login_required
@require_POST
def conversation_holder(request: HttpRequest, pk: int) -> HttpResponse:
    """The 1st evaluator designates the colleague who holds the conversation."""
    conversation = _conversation_or_404(request, pk)
    viewer = viewer_of(request)
    form = HolderForm(request.POST, candidates=selectors.holder_candidates(
        conversation, actor=viewer))
    if not form.is_valid():
        messages.error(request, _("Nothing was saved: choose a colleague of the list."))
        return redirect("conversation_detail", pk)
    holder = form.cleaned_data["holder"]
    return _act(request, pk, _("The conversation is held by %(name)s.") % {
                    "name": holder.full_name} if holder else
                _("The manager holds the conversation again."),
                lambda actor, c: services.conversation_designate_holder(
                    actor=actor, conversation=c, holder_id=holder.pk if holder else None))


@login_required
@require_POST
def conversation_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an item to the agenda (either side), or the employee's one click for their
    manager's functioning; back to the conversation."""
    viewer = viewer_of(request)
    conversation = _conversation_or_404(request, pk)
    if not permissions.can_plan(viewer, conversation):
        raise Http404
    try:
        services.conversation_agenda_add(
            actor=viewer, conversation=conversation, text=request.POST.get("text", ""),
            manager_functioning=request.POST.get("manager_functioning") == "1")
    except ValidationFailed as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The item is on the agenda."))
    return redirect("conversation_detail", pk)


@login_required
def conversation_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a scheduled conversation; the other side gets an update of the invitation."""
    viewer = viewer_of(request)
    conversation = _conversation_or_404(request, pk)
    if not permissions.can_plan(viewer, conversation):
        raise Http404
    if conversation.status != ConversationStatus.SCHEDULED:
        messages.error(request, _("This conversation is %(status)s: it can no longer change.")
                       % {"status": conversation.get_status_display()})
        return redirect("conversation_detail", pk)
    form = RescheduleForm(request.POST or None, initial=RescheduleForm.initial_of(conversation),
                          spacing=selectors.spacing_applies(conversation.employee))
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.moments()
        try:
            services.conversation_reschedule(
                actor=viewer, conversation=conversation, starts_at=starts_at, ends_at=ends_at,
                location=form.cleaned_data["location"],
                online_link=form.cleaned_data["online_link"],
                despite_spacing=form.schedules_anyway)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The conversation is moved; the updated invitation is "
                                        "on its way."))
            return redirect("conversation_detail", pk)
    return render(request, "conversations/reschedule.html",
                  {"form": form, "conversation": conversation, "title": ical.title(conversation)})


@login_required
@require_POST
def conversation_amend(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a changed agreement of the work plan in this progress conversation."""
    _conversation_or_404(request, pk)
    form = AmendmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was saved: say what changed and why."))
        return redirect("conversation_detail", pk)
    return _act(request, pk, _("The changed agreement is recorded in the work plan."),
                lambda actor, c: services.work_plan_amend(
                    actor=actor, conversation=c, change=form.cleaned_data["change"],
                    reason=form.cleaned_data["reason"]))


def _act(request: HttpRequest, pk: int, done: str, action: Any, *,
         conflicts: bool = False) -> HttpResponse:
    """Take ``action``, say how it went and show the conversation again; with
    ``conflicts`` an ``EditConflict`` goes to the caller, which keeps the user's text."""
    conversation = _conversation_or_404(request, pk)
    try:
        action(viewer_of(request), conversation)
    except DomainError as error:
        if conflicts and isinstance(error, EditConflict):
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("conversation_detail", pk)


@login_required
@require_POST
def conversation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first, saying whose conversation ends and who gets the calendar's
    cancellation (``web.page.confirm``); whoever may not cancel it hears why from the
    service, without the question."""
    conversation = _conversation_or_404(request, pk)
    if not confirmed(request) and permissions.can_plan(viewer_of(request), conversation):
        return confirm_page(
            request, heading=_("Cancel the conversation?"),
            consequence=_("%(title)s on %(when)s is cancelled: %(organiser)s and "
                          "%(invitee)s receive the cancellation in their calendar. A new "
                          "conversation is planned anew.") % {
                "title": ical.title(conversation),
                "when": dateformat.format(timezone.localtime(conversation.starts_at),
                                          "d-m-Y H:i"),
                "organiser": conversation.organiser.full_name,
                "invitee": conversation.invitee.full_name},
            button=_("Yes, cancel the conversation"),
            back=reverse("conversation_detail", args=[conversation.pk]))
    return _act(request, pk, _("The conversation is cancelled."),
                lambda actor, c: services.conversation_cancel(actor=actor, conversation=c))


@login_required
@require_POST
def conversation_hold(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation_or_404(request, pk)
    form = _hold_form(viewer_of(request), conversation, request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was saved: choose goals of the employee."))
        return redirect("conversation_detail", pk)
    return _act(request, pk, _("The conversation is recorded as held."),
                lambda actor, c: services.conversation_hold(
                    actor=actor, conversation=c, notes=form.cleaned_data["notes"],
                    goals=list(form.cleaned_data["goals"]), report=form.cleaned_data["report"],
                    improvement_points=form.cleaned_data["improvement_points"],
                    combined_with_planning=form.combined(),
                    agreements=form.cleaned_data.get("agreements") or ""))


@login_required
@require_POST
def conversation_report(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation_or_404(request, pk)  # the same 404, before any form check
    form = ReportForm(request.POST, combined=conversation.combined_with_planning)
    if not form.is_valid():
        messages.error(request, _("Nothing was saved: write the report."))
        return redirect("conversation_detail", pk)
    try:
        return _act(request, pk, _("The report is saved; both sides confirm it again."),
                    lambda actor, c: services.conversation_report_write(
                        actor=actor, conversation=c, report=form.cleaned_data["report"],
                        expected_revision=form.cleaned_data["revision"],
                        agreements=form.agreements_given()),
                    conflicts=True)
    except EditConflict as error:
        messages.error(request, error.message)
        form = rebound(ReportForm, request, error.revision,
                       combined=conversation.combined_with_planning)
        return _detail(request, pk, report_form=form,
                       conflict=differences(form, error.current))


@login_required
@require_POST
def conversation_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    form = ConfirmForm(request.POST)
    read = form.cleaned_data["revision"] if form.is_valid() else -1  # -1: no text read
    return _act(request, pk, _("You confirmed the report."),
                lambda actor, c: services.conversation_report_confirm(
                    actor=actor, conversation=c, expected_revision=read))


@login_required
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """The person's calendar link if they made one; otherwise what it is and a button to
    make it (opening the page makes nothing)."""
    feed = selectors.calendar_feed(request.user)  # type: ignore[arg-type]
    url = (request.build_absolute_uri(reverse("calendar_feed", args=[feed.token]))
           if feed is not None else None)
    return render(request, "conversations/calendar.html", {"feed_url": url})


@login_required
@require_POST
def calendar_make(request: HttpRequest) -> HttpResponse:
    _feed, made = services.calendar_feed_make(user=request.user)  # type: ignore[arg-type]
    if made:
        messages.success(request, _("You have a calendar link: subscribe to it in your "
                                    "calendar."))
    return redirect("calendar_settings")


@login_required
@require_POST
def calendar_renew(request: HttpRequest) -> HttpResponse:
    services.calendar_feed_renew(user=request.user)  # type: ignore[arg-type]
    messages.success(request, _("You have a new calendar link; the old one no longer works."))
    return redirect("calendar_settings")


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed: no sign-in, the token is the key; a revoked token is not found."""
    content = selectors.feed_calendar(token, stamp=clock.now())
    if content is None:
        raise Http404
    return HttpResponse(content, content_type="text/calendar; charset=utf-8")


# The individual work plan (Dutch policy) ---------------------------------------------


def _work_plan_or_404(request: HttpRequest, pk: int) -> WorkPlan:
    plan = permissions.work_plan_for(viewer_of(request), pk)
    if plan is None:
        raise Http404
    return plan


def _work_plan_list(request: HttpRequest, person: Person) -> HttpResponse:
    viewer = viewer_of(request)
    is_me = viewer.person is not None and viewer.person.pk == person.pk
    plans = selectors.work_plans_read(viewer, person)
    offered = services.work_plan_offered(person)
    current = services.work_plan_period(person, on=clock.today()) if offered else None
    context = {
        "person": person, "is_me": is_me, "plans": plans, "offered": offered,
        "current": current,
        "can_draft": is_me and current is not None
        and not any(plan.period_start == current.start for plan in plans),
    }
    return render(request, "conversations/work_plan_list.html", context)


@login_required
def my_work_plans(request: HttpRequest) -> HttpResponse:
    me = viewer_of(request).person
    if me is None:
        raise Http404
    return _work_plan_list(request, me)


@login_required
def person_work_plans(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's work plans as the viewer may see them."""
    return _work_plan_list(request, person_or_404(request, pk))


@login_required
def work_plan_new(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    me = viewer.person
    if me is None or not services.work_plan_offered(me):
        raise Http404
    period = services.work_plan_period(me, on=clock.today())
    form = WorkPlanForm(request.POST or None, editing=False)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.work_plan_draft(actor=viewer, **form.cleaned_data)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            # In the words of the employee's regime: theirs is the viewer's organisation.
            messages.success(request, _("Your work plan is saved as a draft; your %(first)s "
                                        "adds comments, then you both confirm it.")
                             % {"first": viewer.terms.first_evaluator})
            return redirect("work_plan_detail", plan.pk)
    return render(request, "conversations/work_plan_form.html",
                  {"form": form, "plan": None, "period": period})


@login_required
def work_plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    plan = selectors.work_plan_read(viewer, pk)  # HR's read: logged
    if plan is None:
        raise Http404
    return _work_plan_page(request, plan)


def _work_plan_page(request: HttpRequest, plan: WorkPlan,
                    comment_form: WorkPlanCommentForm | None = None,
                    conflict: list[Difference] | None = None) -> HttpResponse:
    viewer = viewer_of(request)
    if comment_form is None and permissions.can_comment_work_plan(viewer, plan):
        comment_form = WorkPlanCommentForm(initial={"comments": plan.manager_comments,
                                                    "revision": plan.revision})
    context: dict[str, Any] = {
        "plan": plan,
        "amendments": list(selectors.amendments(plan)),
        "can_write": permissions.can_write_work_plan(viewer, plan),
        "comment_form": comment_form,
        "conflict": conflict,
        "can_confirm": permissions.can_confirm_work_plan(viewer, plan),
        "mediations": list(selectors.mediations_read(viewer, work_plan=plan)),
        "can_ask_mediation": permissions.may_ask_mediation_about_work_plan(viewer, plan),
    }
    return render(request, "conversations/work_plan_detail.html", context)


@login_required
def work_plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    plan = _work_plan_or_404(request, pk)
    if not permissions.can_write_work_plan(viewer, plan):
        raise Http404
    form = WorkPlanForm(request.POST or None, initial=WorkPlanForm.initial_of(plan),
                        editing=True)
    conflict: list[Difference] | None = None
    if request.method == "POST" and form.is_valid():
        texts = dict(form.cleaned_data)
        revision = texts.pop("revision")
        try:
            services.work_plan_write(actor=viewer, work_plan=plan, expected_revision=revision,
                                     **texts)
        except EditConflict as error:
            form = rebound(WorkPlanForm, request, error.revision, editing=True)
            conflict = differences(form, error.current)
            messages.error(request, error.message)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your work plan is changed; you both confirm it again."))
            return redirect("work_plan_detail", plan.pk)
    return render(request, "conversations/work_plan_form.html",
                  {"form": form, "plan": plan, "conflict": conflict,
                   "period": Period(plan.period_start, plan.period_end)})


def _plan_act(request: HttpRequest, pk: int, done: str, action: Any) -> HttpResponse:
    plan = _work_plan_or_404(request, pk)
    try:
        action(viewer_of(request), plan)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("work_plan_detail", pk)


@login_required
@require_POST
def work_plan_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the evaluator's comments; when someone saved the plan since the page was
    opened, the page comes back with their comments kept beside what is saved now."""
    plan = _work_plan_or_404(request, pk)
    form = WorkPlanCommentForm(request.POST)
    try:
        data = dict(cleaned(form))
        services.work_plan_comment(actor=viewer_of(request), work_plan=plan,
                                   comments=data["comments"],
                                   expected_revision=data["revision"])
    except EditConflict as error:
        form = rebound(WorkPlanCommentForm, request, error.revision)
        messages.error(request, error.message)
        current = {"comments": error.current["manager_comments"]}
        plan.refresh_from_db()
        return _work_plan_page(request, plan, form, differences(form, current))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your comments are saved; you both confirm the plan now."))
    return redirect("work_plan_detail", pk)


@login_required
@require_POST
def work_plan_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_act(request, pk, _("You confirmed the work plan."),
                     lambda actor, plan: services.work_plan_confirm(actor=actor, work_plan=plan))


# Mediation in a disagreement (Dutch policy) ------------------------------------------


def _mediation_new(request: HttpRequest, *, conversation: Conversation | None = None,
                   work_plan: WorkPlan | None = None, open_: bool = True) -> HttpResponse:
    """The request form; with ``open_`` false (a conversation not held yet, or the formal
    assessment itself) the page says why there is nothing to ask yet."""
    viewer = viewer_of(request)
    me = viewer.person
    assert me is not None  # the employee: the caller checked it
    form = MediationRequestForm(request.POST or None,
                                mediators=services.mediators_for(me)) if open_ else None
    if form is not None and request.method == "POST" and form.is_valid():
        kind, mediator_id = form.chosen()
        try:
            mediation = services.mediation_request(
                actor=viewer, conversation=conversation, work_plan=work_plan,
                mediator_kind=kind, mediator_id=mediator_id,
                account=form.cleaned_data["account"])
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your request for mediation is sent to %(name)s.")
                             % {"name": mediation.mediator.full_name})
            return redirect("mediation_detail", mediation.pk)
    back = (reverse("conversation_detail", args=[conversation.pk]) if conversation is not None
            else reverse("work_plan_detail", args=[work_plan.pk]) if work_plan is not None
            else reverse("my_mediations"))
    about = (ical.title(conversation) if conversation is not None
             else _("your work plan %(start)s – %(end)s") % {
                 "start": dateformat.format(work_plan.period_start, "d-m-Y"),
                 "end": dateformat.format(work_plan.period_end, "d-m-Y")}
             if work_plan is not None else "")
    return render(request, "conversations/mediation_form.html",
                  {"form": form, "about": about, "back": back,
                   "action": request.path})


@login_required
def conversation_mediation_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The employee asks for mediation about a held conversation."""
    viewer = viewer_of(request)
    conversation = _conversation_or_404(request, pk)
    if not permissions.may_open_mediation_request(viewer, conversation):
        raise Http404
    return _mediation_new(request, conversation=conversation,
                          open_=permissions.may_ask_mediation_about_conversation(
                              viewer, conversation))


@login_required
def work_plan_mediation_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The employee asks for mediation about their work plan."""
    plan = _work_plan_or_404(request, pk)
    if not permissions.may_ask_mediation_about_work_plan(viewer_of(request), plan):
        raise Http404
    return _mediation_new(request, work_plan=plan)


@login_required
def my_mediations(request: HttpRequest) -> HttpResponse:
    """The mediations the viewer may see: asked for, to mediate, of their team, as HR."""
    viewer = viewer_of(request)
    context = {"mediations": list(selectors.mediations_read(viewer)),
               "offered": viewer.person is not None
               and permissions.mediation_offered_for(viewer.person)}
    return render(request, "conversations/mediation_list.html", context)


def _mediation_or_404(request: HttpRequest, pk: int) -> Mediation:
    mediation = selectors.mediation_read(viewer_of(request), pk)
    if mediation is None:
        raise Http404
    return mediation


def _mediation_page(request: HttpRequest, mediation: Mediation,
                    form: MediationOutcomeForm | None = None) -> HttpResponse:
    viewer = viewer_of(request)
    if form is None and permissions.can_record_mediation(viewer, mediation):
        form = MediationOutcomeForm()
    context = {
        "mediation": mediation,
        "about": ical.title(mediation.conversation) if mediation.conversation else None,
        "outcome_form": form,
        "formal_assessment": permissions.offers_formal_assessment(viewer, mediation),
    }
    return render(request, "conversations/mediation_detail.html", context)


@login_required
def mediation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _mediation_page(request, _mediation_or_404(request, pk))


@login_required
@require_POST
def mediation_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """The mediator records the outcome; a form with errors comes back as typed."""
    mediation = _mediation_or_404(request, pk)
    form = MediationOutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.mediation_record_outcome(
                actor=viewer_of(request), mediation=mediation,
                outcome=form.cleaned_data["outcome"], text=form.cleaned_data["text"])
        except DomainError as error:
            # Not the mediator's, or recorded already: said, and nothing changed.
            messages.error(request, error.message)
            return redirect("mediation_detail", pk)
        messages.success(request, _("The outcome of the mediation is recorded."))
        return redirect("mediation_detail", pk)
    if not permissions.can_record_mediation(viewer_of(request), mediation):
        messages.error(request, _("Only the mediator records the outcome."))
        return redirect("mediation_detail", pk)
    return _mediation_page(request, mediation, form)
