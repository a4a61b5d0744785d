"""Alembic migrations, inside the package so a frozen build carries them.

HEAD_REVISION lets start-up skip importing Alembic when the file is already current;
a test checks it against the newest script.
"""

HEAD_REVISION = "0007"
