"""PeopleTableModel against a real database: Qt's model checks, paging, server-side sort."""

from __future__ import annotations

from PySide6.QtCore import Qt

from crm.services.people_data import PersonInput
from crm.ui.people.table_model import PeopleTableModel


def _person(services, name: str, **extra: object) -> int:
    return services.people.create(PersonInput(display_name=name, **extra))  # type: ignore[arg-type]


def test_model_passes_qt_model_checks(services, qtmodeltester) -> None:
    for i in range(30):
        _person(services, f"Person {i:02d}", organisation=f"Org {i % 4}", roles=("member",))
    model = PeopleTableModel(services)
    model.reload()
    assert model.rowCount() == 30
    qtmodeltester.check(model)


def test_empty_model_passes_checks(services, qtmodeltester) -> None:
    model = PeopleTableModel(services)
    model.reload()
    qtmodeltester.check(model)


def test_rows_are_fetched_by_page_only(services, monkeypatch) -> None:
    for i in range(250):
        _person(services, f"P{i:03d}")
    model = PeopleTableModel(services)
    model.reload()
    asked: list[int] = []
    real = services.people_reads.rows  # the table reads without the ORM (start-up)
    monkeypatch.setattr(
        services.people_reads, "rows", lambda ids: asked.append(len(ids)) or real(ids)
    )
    assert model.data(model.index(0, 0)) == "P000"
    assert model.data(model.index(249, 0)) == "P249"
    assert asked == [model.PAGE, 250 - 2 * model.PAGE]


def test_sort_by_column_asks_the_service(services) -> None:
    _person(services, "Bea", organisation="Zeta")
    _person(services, "Ann", organisation="Yota")
    _person(services, "Cid", organisation="Alpha")
    model = PeopleTableModel(services)
    model.reload()
    names = lambda: [model.data(model.index(r, 0)) for r in range(3)]  # noqa: E731
    assert names() == ["Ann", "Bea", "Cid"]
    model.sort(2, Qt.SortOrder.AscendingOrder)  # organisation
    assert names() == ["Cid", "Ann", "Bea"]
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert names() == ["Cid", "Bea", "Ann"]


def test_custom_field_is_a_sortable_column(services) -> None:
    fid = services.fields.create("person", "Stars", "number")
    a = _person(services, "Ann", custom={fid: "30"})
    b = _person(services, "Bob", custom={fid: "4"})
    model = PeopleTableModel(services)
    model.reload()
    col = [c.sort_key for c in model.columns].index(f"field:{fid}")
    assert model.headerData(col, Qt.Orientation.Horizontal) == "Stars"
    model.sort(col, Qt.SortOrder.AscendingOrder)
    assert model.ids == [b, a]
    assert model.data(model.index(0, col)) == "4"
    assert model.data(model.index(0, col), Qt.ItemDataRole.TextAlignmentRole)
