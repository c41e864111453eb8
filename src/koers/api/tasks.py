"""The caller's task list: the same list as the start page."""

from django.http import HttpRequest
from ninja import Router

from koers.api.lookups import viewer_of
from koers.api.tasks_schemas import TaskOut
from koers.tasks.selectors import tasks_for

router = Router(tags=["tasks"])


@router.get("/me/tasks", response=list[TaskOut],
            summary="What waits for me, the most urgent first (as on the start page)")
def my_tasks(request: HttpRequest) -> list[TaskOut]:
    return [TaskOut.of(task) for task in tasks_for(viewer_of(request))]
