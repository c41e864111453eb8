"""The improvement plan's pages: a person's plans, starting and changing a plan, its page
with the signatures, follow-ups, extension and decision.

Thin: the improvement room's permissions say who may see and do what (a missing or
forbidden object is the same 404), its services make every change and its rules say what
is refused.
"""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.access.policy import Viewer
from koers.conversations.permissions import conversations_visible_to
from koers.conversations.states import ConversationStatus
from koers.core.clock import today_for
from koers.core.errors import DomainError, ValidationFailed
from koers.evaluations.permissions import evaluations_visible_to
from koers.improvement import permissions, selectors, services
from koers.improvement.models import FollowUp, ImprovementPlan
from koers.improvement.states import PlanStatus
from koers.organisation.models import Person
from koers.web.improvement.forms import (
    DecisionForm,
    ExtensionForm,
    FollowUpForm,
    PlanForm,
    RemarksForm,
    ScheduleForm,
)
from koers.web.page.confirm import confirm_page, confirmed
from koers.web.page.forms import apply_errors, cleaned
from koers.web.page.lookups import person_or_404
from koers.web.page.viewer import viewer_of

# Conversations offered as grounds: those of the last two years.
CONVERSATION_DAYS = 730


def plan_or_404(request: HttpRequest, pk: int) -> ImprovementPlan:
    plan = selectors.plan_read(viewer_of(request), pk)
    if plan is None:
        raise Http404
    return plan


def _follow_up_or_404(request: HttpRequest, pk: int) -> tuple[ImprovementPlan, FollowUp]:
    follow_up = FollowUp.objects.filter(pk=pk).only("plan_id").first()
    if follow_up is None:
        raise Http404
    plan = plan_or_404(request, follow_up.plan_id)
    return plan, next(f for f in plan.follow_ups.all() if f.pk == pk)


@login_required
def person_improvement(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's improvement plans, and the start of a new one for their evaluators."""
    viewer = viewer_of(request)
    person = person_or_404(request, pk)
    page = selectors.person_plans(viewer, person)
    return render(request, "improvement/person_plans.html",
                  {"person": person, "plans": page.plans, "can_start": page.can_start,
                   "proposals": page.proposals})


def _plan_form(request: HttpRequest, viewer: Viewer, person: Person,
               initial: dict[str, Any] | None = None) -> PlanForm:
    today = today_for(person.organisation)
    evaluations = [
        (e.pk, _("Evaluation %(start)s – %(end)s") % {
            "start": e.period_start.strftime("%d-%m-%Y"),
            "end": e.period_end.strftime("%d-%m-%Y")})
        for e in evaluations_visible_to(viewer).filter(person=person)
        .order_by("-period_end")[:10]]
    conversations = (conversations_visible_to(viewer)
                     .filter(employee=person,
                             starts_at__date__gte=today - dt.timedelta(days=CONVERSATION_DAYS))
                     .order_by("-starts_at"))
    return PlanForm(request.POST or None, initial=initial, evaluations=evaluations,
                    conversations=conversations)


@login_required
def improvement_plan_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a person's improvement plan (their 1st or 2nd evaluator)."""
    viewer = viewer_of(request)
    person = person_or_404(request, pk)
    if not permissions.can_start_for(viewer, person):
        raise Http404
    initial = None
    source = request.GET.get("conversation", "")
    if source.isdigit():
        # Started from a held conversation (``selectors.plan_proposals``): its text is
        # proposed as the grounds, and it grounds the plan.
        proposal = selectors.plan_proposal(viewer, person, int(source))
        if proposal is not None:
            initial = {"grounds": proposal.grounds,
                       "conversations": [proposal.conversation.pk]}
    form = _plan_form(request, viewer, person, initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_start(
                actor=viewer, employee=person, grounds=data["grounds"], goals=form.goals(),
                support=data["support"], period_start=data["period_start"],
                period_end=data["period_end"], evaluation_id=data["evaluation"],
                grounding_conversations=list(data["conversations"]))
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The improvement plan is started. The employee "
                                        "reads it and adds remarks; then both of you sign."))
            return redirect("improvement_plan", plan.pk)
    return render(request, "improvement/plan_form.html", {"form": form, "person": person})


@login_required
def improvement_plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the plan while it is being agreed (an evaluator)."""
    viewer = viewer_of(request)
    plan = plan_or_404(request, pk)
    if not permissions.can_manage(viewer, plan):
        raise Http404
    if plan.status != PlanStatus.DRAFT:
        messages.info(request, _("The plan is signed: its content no longer changes."))
        return redirect("improvement_plan", plan.pk)
    initial = {"grounds": plan.grounds, "support": plan.support,
               "period_start": plan.period_start, "period_end": plan.period_end,
               "evaluation": plan.evaluation_id,
               "conversations": [c.pk for c in plan.conversations.all()],
               **PlanForm.initial_goals(plan.goals.all())}
    form = _plan_form(request, viewer, plan.employee, initial)
    form.fields["evaluation"].disabled = True
    form.fields["conversations"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_change(actor=viewer, plan=plan, grounds=data["grounds"],
                                 goals=form.goals(), support=data["support"],
                                 period_start=data["period_start"],
                                 period_end=data["period_end"])
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The plan is changed. A signature already given "
                                        "is withdrawn: both of you sign the same plan."))
            return redirect("improvement_plan", plan.pk)
    return render(request, "improvement/plan_form.html",
                  {"form": form, "person": plan.employee, "plan": plan})


@login_required
def improvement_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan: why, the goals, the support, signatures, follow-ups and the decision."""
    page = selectors.plan_page(viewer_of(request), pk)
    if page is None:
        raise Http404
    plan, actions = page.plan, page.actions
    context = {
        "plan": plan,
        "actions": actions,
        "reference": page.reference,
        "goals": list(plan.goals.all()),
        "follow_ups": [(f, {p.goal_id: p.text for p in f.progress.all()})
                       for f in plan.follow_ups.all()],
        "remarks_form": RemarksForm(initial={"remarks": plan.employee_remarks})
        if actions.remark else None,
    }
    return render(request, "improvement/plan_detail.html", context)


def _act(request: HttpRequest, plan: ImprovementPlan, done: str, action: Any) -> HttpResponse:
    try:
        action()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("improvement_plan", plan.pk)


@login_required
@require_POST
def improvement_plan_sign(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    plan = plan_or_404(request, pk)
    return _act(request, plan, _("You signed the improvement plan."),
                lambda: services.plan_sign(actor=viewer, plan=plan))


@login_required
@require_POST
def improvement_plan_remarks(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    plan = plan_or_404(request, pk)
    form = RemarksForm(request.POST)
    return _act(request, plan, _("Your remarks are saved."),
                lambda: services.plan_remarks_set(actor=viewer, plan=plan,
                                                  remarks=cleaned(form)["remarks"]))


@login_required
@require_POST
def improvement_plan_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    plan = plan_or_404(request, pk)
    if not confirmed(request):
        return confirm_page(
            request, heading=_("Cancel the plan?"),
            consequence=_("The improvement plan of %(name)s is cancelled.")
            % {"name": plan.employee.full_name},
            button=_("Yes, cancel the plan"),
            back=reverse("improvement_plan", args=[plan.pk]))
    return _act(request, plan, _("The improvement plan is cancelled."),
                lambda: services.plan_cancel(actor=viewer, plan=plan))


@login_required
@require_POST
def improvement_plan_extension_agree(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    plan = plan_or_404(request, pk)
    return _act(request, plan, _("You agreed the extension: the plan runs longer."),
                lambda: services.plan_extension_agree(actor=viewer, plan=plan))


def _form_page(request: HttpRequest, plan: ImprovementPlan, form: Any, *, title: str,
               submit: str, run: Any, done: str, intro: str = "") -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            run()
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("improvement_plan", plan.pk)
    return render(request, "improvement/plan_step.html",
                  {"plan": plan, "form": form, "title": title, "submit": submit,
                   "intro": intro})


@login_required
def improvement_plan_extend(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose to extend the plan once (an evaluator); the employee agrees."""
    viewer = viewer_of(request)
    plan = plan_or_404(request, pk)
    if not permissions.can_manage(viewer, plan):
        raise Http404
    form = ExtensionForm(request.POST or None)
    return _form_page(
        request, plan, form, title=_("Propose to extend the plan"),
        submit=_("Propose the extension"),
        intro=_("A plan is extended once, when both agree: the employee agrees on the plan's "
                "page, and the follow-ups of the added months fall due."),
        run=lambda: services.plan_extension_propose(
            actor=viewer, plan=plan, until=form.cleaned_data["until"],
            reason=form.cleaned_data["reason"]),
        done=_("The extension is proposed; the employee is asked to agree."))


@login_required
def improvement_plan_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Decide at the end whether the plan was met, with the motivation (an evaluator)."""
    viewer = viewer_of(request)
    plan = plan_or_404(request, pk)
    if not permissions.can_manage(viewer, plan):
        raise Http404
    form = DecisionForm(request.POST or None)
    return _form_page(
        request, plan, form, title=_("Decide on the improvement plan"), submit=_("Decide"),
        intro=_("Met: the employee returns to the normal cycle. Not met: the plan and this "
                "decision are shown with the next evaluation."),
        run=lambda: services.plan_decide(actor=viewer, plan=plan,
                                         met=form.cleaned_data["outcome"] == "met",
                                         motivation=form.cleaned_data["motivation"]),
        done=_("The decision is recorded."))


@login_required
def improvement_follow_up_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Schedule a follow-up conversation; the employee gets its invitation."""
    viewer = viewer_of(request)
    plan, follow_up = _follow_up_or_404(request, pk)
    if not permissions.can_manage(viewer, plan):
        raise Http404
    form = ScheduleForm(request.POST or None)

    def run() -> None:
        data = form.cleaned_data
        services.follow_up_schedule(
            actor=viewer, follow_up=follow_up, starts_at=data["starts_at"],
            ends_at=data["starts_at"] + dt.timedelta(minutes=data["minutes"]),
            location=data["location"], online_link=data["online_link"])

    return _form_page(
        request, plan, form,
        title=_("Schedule follow-up %(number)d") % {"number": follow_up.number},
        submit=_("Schedule and invite"), run=run,
        intro=_("Due by %(due)s.") % {"due": follow_up.due_on.strftime("%d-%m-%Y")},
        done=_("The follow-up conversation is scheduled and the employee invited."))


@login_required
def improvement_follow_up_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a follow-up conversation: progress per goal and the actions agreed."""
    viewer = viewer_of(request)
    plan, follow_up = _follow_up_or_404(request, pk)
    if not permissions.can_manage(viewer, plan):
        raise Http404
    form = FollowUpForm(request.POST or None, goals=plan.goals.all(),
                        initial={"held_on": today_for(plan.organisation)})
    intro = _("Due by %(due)s.") % {"due": follow_up.due_on.strftime("%d-%m-%Y")}
    conversation = follow_up.conversation
    if conversation is not None and conversation.status == ConversationStatus.SCHEDULED:
        intro += " " + _("Saving also records the conversation of %(day)s as held, with this "
                         "report as its report.") % {
            "day": timezone.localtime(conversation.starts_at).strftime("%d-%m-%Y")}
    return _form_page(
        request, plan, form,
        title=_("Report of follow-up %(number)d") % {"number": follow_up.number},
        submit=_("Save the report"), intro=intro,
        run=lambda: services.follow_up_record(
            actor=viewer, follow_up=follow_up, held_on=form.cleaned_data["held_on"],
            progress=form.progress(), actions=form.cleaned_data["actions"]),
        done=_("The follow-up is recorded."))
