"""Liveness and readiness probes for the load balancer and the orchestrator."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse


def healthz(request):
    """The process is up and answering."""
    return JsonResponse({"status": "ok"})


def readyz(request):
    """The database answers and every migration is applied: safe to route traffic here."""
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as error:  # any database failure means "not ready", with the reason
        return JsonResponse({"status": "unavailable", "database": str(error)[:200]}, status=503)
    if pending:
        return JsonResponse({"status": "unavailable", "pending_migrations": len(pending)}, status=503)
    return JsonResponse({"status": "ok"})
