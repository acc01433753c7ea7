"""The unit tests' shared fixture: a fresh in-memory unit of work for each test."""

from __future__ import annotations

import pytest

from tests.unit.fakes import FakeUnitOfWork


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()
