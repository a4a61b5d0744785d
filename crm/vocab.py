"""Fixed vocabularies that screens show before the ORM models are loaded.

crm.models re-exports these. They live outside the models package because importing
anything from it imports every model and sqlalchemy.orm (≈ 0.14 s), and the People
page's role filter is filled while the window is first built.
"""

from __future__ import annotations

ROLES = ("member", "influencer", "expert", "speaker", "volunteer", "partner liaison", "staff")
