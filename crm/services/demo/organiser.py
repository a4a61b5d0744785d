"""The demo's organiser setting: the first of its staff with an email address.

Calendar invitations name an organiser (File → Settings…); without one a new user
who opens the demo could not export an invitation until they found that setting.
The staff person chosen is the one the demo's content lists first as an owner.
"""

from __future__ import annotations

from crm.services.demo.bulk import Writer
from crm.services.settings import ORGANISER_EMAIL, ORGANISER_NAME

_FIRST_STAFF = """
SELECT p.display_name, e.address FROM person_role r
JOIN person p ON p.id = r.person_id
JOIN email e ON e.id = (SELECT min(id) FROM email WHERE person_id = p.id)
WHERE r.role = 'staff' AND p.archived_at IS NULL
ORDER BY p.id LIMIT 1
"""


def write_organiser(w: Writer) -> str | None:
    """Save the first staff person with an email as the organiser, unless one is
    already set (settings may exist before the demo: keep the user's); their address."""
    if w.cur.execute("SELECT 1 FROM setting WHERE key = ?", (ORGANISER_EMAIL,)).fetchone():
        return None
    found = w.cur.execute(_FIRST_STAFF).fetchone()
    if found is None:
        return None
    name, address = found
    w.executemany(
        "INSERT OR REPLACE INTO setting(key, value) VALUES (?, ?)",
        [(ORGANISER_NAME, " ".join(str(name).split())), (ORGANISER_EMAIL, str(address))],
    )
    return str(address)
