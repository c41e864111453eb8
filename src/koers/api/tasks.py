"""The caller's task list: the same list as the start page."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from koers.api.lookups import viewer_of
from koers.api.pagination import PageIn, paged
from koers.api.tasks_schemas import TaskOut, TaskPageOut
from koers.tasks.selectors import tasks_for

router = Router(tags=["tasks"])


@router.get("/me/tasks", response=TaskPageOut,
            summary="What waits for me, the most urgent first (as on the start page), a page "
                    "at a time")
def my_tasks(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    return paged(request, tasks_for(viewer_of(request)), paging,
                 lambda page: [TaskOut.of(task) for task in page])
