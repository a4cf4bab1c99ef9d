"""Backup and restore round trip with verification; corrupt or partial backups refused up front."""

import hashlib
import json
import sqlite3

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from secretariat.continuity.backup import (
    MANIFEST,
    MANIFEST_SEAL,
    backup_platform,
    postgres_parameters,
    restore_platform,
)
from secretariat.continuity.exceptions import CorruptBackup, RestoreVerificationFailed
from secretariat.continuity.tests.factories import ApplicationFactory, BusinessProcessFactory

# The backup reads through its own connection (PostgreSQL) or the test's (SQLite, where an
# open transaction would block the online backup), so SQLite tests must commit.
pytestmark = pytest.mark.django_db(transaction=connection.vendor != "postgresql")


@pytest.fixture
def platform(tmp_path):
    """A content store of two files (the database holds the migrated reference data)."""
    store = tmp_path / "content"
    (store / "ab").mkdir(parents=True)
    (store / "ab" / "abcdef").write_bytes(b"minutes of the 5th meeting")
    (store / "cd" / "cdef01").parent.mkdir()
    (store / "cd" / "cdef01").write_bytes(bytes(range(256)) * 100)
    return store


@pytest.fixture
def restore_target(tmp_path):
    if connection.vendor != "postgresql":
        yield str(tmp_path / "restored.sqlite3")
        return
    name = f"{connection.settings_dict['NAME']}_restored"
    yield name
    with psycopg.connect(**postgres_parameters(connection.settings_dict, "postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def target_exists(target) -> bool:
    if connection.vendor != "postgresql":
        from pathlib import Path

        return Path(target).exists()
    with psycopg.connect(**postgres_parameters(connection.settings_dict, "postgres")) as admin:
        return admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target]).fetchone() is not None


@pytest.mark.django_db(transaction=True)
def test_round_trip_restores_a_verified_platform(platform, tmp_path, restore_target):
    # given: committed registry rows, visible to the backup's own connection
    BusinessProcessFactory(name="Payroll")
    ApplicationFactory(name="ERP")
    report = backup_platform(destination=tmp_path / "backups", content_root=platform)
    # when
    restored = restore_platform(backup=report.path, target_database=restore_target,
                                content_root=tmp_path / "restored-content")
    # then
    assert restored.verified is True
    assert (restored.tables, restored.rows, restored.content_files) == (report.tables, report.rows, 2)
    assert (tmp_path / "restored-content" / "ab" / "abcdef").read_bytes() == b"minutes of the 5th meeting"
    if connection.vendor == "postgresql":
        with psycopg.connect(**postgres_parameters(connection.settings_dict, restore_target)) as restored_db:
            names = restored_db.execute("SELECT name FROM continuity_businessprocess").fetchall()
    else:
        restored_db = sqlite3.connect(restore_target)
        names = restored_db.execute("SELECT name FROM continuity_businessprocess").fetchall()
        restored_db.close()
    assert names == [("Payroll",)]


def test_a_corrupt_backup_is_refused_before_anything_is_overwritten(platform, tmp_path, restore_target):
    report = backup_platform(destination=tmp_path / "backups", content_root=platform)
    database_file = report.path / json.loads((report.path / MANIFEST).read_text())["database_file"]
    data = bytearray(database_file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    database_file.write_bytes(bytes(data))
    existing = tmp_path / "live-content"
    existing.mkdir()
    (existing / "keep").write_text("live file")
    # when
    with pytest.raises(CorruptBackup) as refusal:
        restore_platform(backup=report.path, target_database=restore_target, content_root=existing, replace=True)
    # then
    assert f"{database_file.name} does not match its checksum" in str(refusal.value)
    assert str(refusal.value).startswith(f"The backup at {report.path} is corrupt or incomplete; nothing was restored")
    assert (existing / "keep").read_text() == "live file"
    assert not target_exists(restore_target)


def test_a_partial_backup_is_refused(platform, tmp_path, restore_target):
    report = backup_platform(destination=tmp_path / "backups", content_root=platform)
    (report.path / "content" / "cd" / "cdef01").unlink()
    with pytest.raises(CorruptBackup) as refusal:
        restore_platform(backup=report.path, target_database=restore_target, content_root=tmp_path / "restored")
    assert "content/cd/cdef01 is missing" in str(refusal.value)
    assert not target_exists(restore_target)


def test_a_manifest_changed_without_its_seal_is_refused(platform, tmp_path, restore_target):
    report = backup_platform(destination=tmp_path / "backups", content_root=platform)
    (report.path / MANIFEST).write_text((report.path / MANIFEST).read_text().replace('"rows": ', '"rows": 1'))
    with pytest.raises(CorruptBackup) as refusal:
        restore_platform(backup=report.path, target_database=restore_target, content_root=tmp_path / "restored")
    assert "the manifest does not match its seal" in str(refusal.value)


def test_verification_fails_loudly_when_the_restored_platform_differs(platform, tmp_path, restore_target):
    report = backup_platform(destination=tmp_path / "backups", content_root=platform)
    manifest = json.loads((report.path / MANIFEST).read_text())
    manifest["tables"]["core_role"]["rows"] += 1  # as if a row had been lost in the restore
    body = json.dumps(manifest).encode()
    (report.path / MANIFEST).write_bytes(body)
    (report.path / MANIFEST_SEAL).write_text(hashlib.sha256(body).hexdigest())
    # when
    with pytest.raises(RestoreVerificationFailed) as refusal:
        restore_platform(backup=report.path, target_database=restore_target, content_root=tmp_path / "restored")
    # then
    roles = manifest["tables"]["core_role"]["rows"]
    assert str(refusal.value).startswith("The restored platform differs from the backup: table "
                                         f"core_role: expected {{'rows': {roles}")
