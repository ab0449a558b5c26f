"""The one retry layer for warehouse writes: Prefect task retries on transient failures.

``warehouse.store.open_writer`` makes one attempt by default; a task that writes retries as a
whole (``TRANSIENT``), so a catalog locked at attach or at commit, or a file gone mid-read, is
retried with backoff and shows as a retry in the Prefect UI, and one busy catalog costs at most
4 attempts, not 4 x 5. Only calls no task retry covers wait inside the store (readers, and the
failure record of a run that is already failing).
"""

from __future__ import annotations

from prefect.tasks import exponential_backoff

from warehouse.store import NotAWarehouse, WarehouseBusy

TRANSIENT_ERRORS = (WarehouseBusy, FileNotFoundError)


def retry_transient(task, task_run, state) -> bool:
    """True for failures that may pass on their own (a locked warehouse, a file gone mid-read); never
    for another program's files where the warehouse should be."""
    error = state.result(raise_on_failure=False)
    return isinstance(error, TRANSIENT_ERRORS) and not isinstance(error, NotAWarehouse)


TRANSIENT = dict(retries=3, retry_delay_seconds=exponential_backoff(backoff_factor=2), retry_jitter_factor=0.2,
                 retry_condition_fn=retry_transient)
