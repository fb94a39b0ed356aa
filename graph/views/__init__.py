"""Read views over the graph shared by the HTTP API, the CLI and notebooks, one module per resource:
`plans`, `tasks`, `agencies`, `mandates`, `search` (the search index), and `pages` (paging).

Every function takes a GraphStore (embedded or Neo4j) and returns plain JSON-ready
dicts; the Cypher is portable (linted by Neo4j's linter, executed on the embedded
engine in tests). Lists return a `Page` with the total before paging.
"""

from __future__ import annotations

from plangraph.views.agencies import agency_summary, agency_tasks, get_agency, list_agencies
from plangraph.views.mandates import list_mandates
from plangraph.views.pages import MAX_PAGE, Page
from plangraph.views.plans import get_plan, list_plans, plan_text
from plangraph.views.search import SearchIndex
from plangraph.views.tasks import TaskFilter, get_task, list_tasks, task_order, tasks_query

__all__ = [
    "MAX_PAGE",
    "Page",
    "SearchIndex",
    "TaskFilter",
    "agency_summary",
    "agency_tasks",
    "get_agency",
    "get_plan",
    "plan_text",
    "get_task",
    "list_agencies",
    "list_mandates",
    "list_plans",
    "list_tasks",
    "task_order",
    "tasks_query",
]
