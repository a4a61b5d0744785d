"""Sections of a person's detail that other areas contribute (events, advocacy …).

Each entry is (title, module, function). The function is called as
``function(services, person_id)`` when a person is shown and returns rich-text lines;
the section hides when there are none. Links in the lines may be ``person:<id>``,
``community:<id>`` or ``<kind>:<id>`` for any page that declares ``LINK_KIND = kind``
and has ``show_item(id)`` (the main window routes them). Modules are imported on the
first person shown, not at start-up. Keep the functions to one or two quick queries.
"""

from __future__ import annotations

LINKED_SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("Invitations", "crm.ui.events.linked", "invitation_lines"),
    ("Speaker outreach", "crm.ui.outreach.linked", "outreach_lines"),
    ("Talks", "crm.ui.outreach.linked", "talk_lines"),
    ("Content", "crm.ui.content.linked", "guest_content"),
    ("Advocacy voiced", "crm.ui.advocacy.linked", "advocacy_lines"),
    ("Moderation (confidential)", "crm.ui.advocacy.linked", "moderation_lines"),
    ("Feedback", "crm.ui.feedback.linked", "feedback_lines"),
    ("Initiatives", "crm.ui.initiatives.linked", "initiative_lines"),
)
