"""Django admin for superusers. Saves go through the services so paths and rules hold."""

from typing import Any, cast

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from koers.core.models import User
from koers.notify.models import Notification
from koers.organisation import services
from koers.organisation.models import (
    Absence,
    EffectiveWork,
    EvaluatorOverride,
    Organisation,
    Person,
    RoleGrant,
    Unit,
)


@admin.register(User)
class KoersUserAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ("email", "first_name", "last_name", "language", "is_staff", "is_superuser")
    search_fields = ("email", "first_name", "last_name")
    ordering = ("email",)
    fieldsets = (
        (None, {"fields": ("email", "password", "language")}),
        ("Personal info", {"fields": ("first_name", "last_name")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"fields": ("email", "password1", "password2")}),)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("name", "slug", "policy_preset", "language")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    list_display = ("name", "code", "organisation", "manager", "depth")
    list_filter = ("organisation",)
    search_fields = ("name", "code")
    raw_id_fields = ("parent", "manager")
    readonly_fields = ("path", "depth")

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        if change:
            services.unit_update(
                unit=obj, code=obj.code, name=obj.name, parent=obj.parent, manager=obj.manager,
                actor=cast(User, request.user),
            )
        else:
            created = services.unit_create(
                organisation=obj.organisation,
                code=obj.code,
                name=obj.name,
                parent=obj.parent,
                manager=obj.manager,
                actor=cast(User, request.user),
            )
            obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ("last_name", "first_name", "employee_number", "organisation", "unit")
    list_filter = ("organisation", "employment_status", "salary_system")
    search_fields = ("last_name", "first_name", "employee_number", "email")
    raw_id_fields = ("unit", "user")
    list_select_related = ("organisation", "unit")

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        # Without the "set by hand" tick the salary system follows the 1 June 2024 rule.
        # The service audits the save and the running cycles follow it.
        services.person_save(
            organisation=obj.organisation, person=obj,
            salary_system=obj.salary_system if obj.salary_system_overridden else None,
            follow_salary_rule=not obj.salary_system_overridden,
            actor=cast(User, request.user),
            **{name: getattr(obj, name) for name in services.PERSON_FIELDS},
        )


@admin.register(EffectiveWork)
class EffectiveWorkAdmin(admin.ModelAdmin[EffectiveWork]):
    list_display = ("person", "year", "hours_worked", "source")
    raw_id_fields = ("person", "updated_by")


@admin.register(Absence)
class AbsenceAdmin(admin.ModelAdmin[Absence]):
    list_display = ("person", "kind", "start_date", "end_date")
    raw_id_fields = ("person",)


@admin.register(EvaluatorOverride)
class EvaluatorOverrideAdmin(admin.ModelAdmin[EvaluatorOverride]):
    list_display = ("person", "first_evaluator", "second_evaluator", "valid_from", "valid_until")
    raw_id_fields = ("person", "first_evaluator", "second_evaluator")


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin[RoleGrant]):
    list_display = ("person", "role", "unit", "valid_from", "valid_until")
    list_filter = ("role", "organisation")
    raw_id_fields = ("person", "unit")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    """Read-only: operators look up what was sent, and what was claimed but not sent."""

    list_display = ("key", "recipient", "kind", "created_at", "read_at", "email_sent_at")
    list_filter = ("kind", ("email_sent_at", admin.EmptyFieldListFilter))
    search_fields = ("key", "recipient__email")
    raw_id_fields = ("recipient",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
