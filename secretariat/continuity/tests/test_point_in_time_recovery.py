"""Point-in-time recovery: base backup + archived WAL, replayed up to a timestamp (PostgreSQL only)."""

import shutil
import time

import pytest

from secretariat.continuity.clusters import (
    LoopbackCluster,
    base_backup,
    enable_wal_archiving,
    make_work_dir,
    recover_to_point_in_time,
    remove_work_dir,
    wait_for,
)

pytestmark = [
    pytest.mark.postgres,  # point-in-time recovery needs PostgreSQL servers
]


@pytest.fixture
def work_dir():
    directory = make_work_dir("secretariat-pitr-test-")
    yield directory
    remove_work_dir(directory)


def test_recovers_exactly_the_transactions_committed_before_the_target_time(work_dir):
    archive = work_dir / "archive"
    primary = LoopbackCluster(work_dir / "primary")
    primary.initialise()
    primary.configure_for_loopback(socket_dir=work_dir)
    archive.mkdir()
    shutil.chown(archive, "postgres", "postgres")
    enable_wal_archiving(primary, archive)
    primary.start()
    recovered = None
    try:
        base_backup(primary, work_dir / "base", write_recovery_conf=False, wal_method="fetch")
        primary.query("CREATE TABLE ledger (note text)")
        primary.query("INSERT INTO ledger VALUES ('before the mistake')")
        target_time = primary.query("SELECT now()::text")[0][0]
        time.sleep(1.1)
        primary.query("INSERT INTO ledger VALUES ('the mistake')")
        segment = primary.query("SELECT pg_walfile_name(pg_switch_wal())")[0][0]
        wait_for(lambda: (archive / segment).exists(), timeout=30, what="the WAL segment to be archived")
        # when
        recovered = recover_to_point_in_time(base_backup_dir=work_dir / "base", wal_archive=archive,
                                             target_time=target_time, data_dir=work_dir / "recovered")
        # then
        assert recovered.query("SELECT note FROM ledger") == [("before the mistake",)]
    finally:
        if recovered is not None:
            recovered.stop("immediate")
        primary.stop("immediate")
