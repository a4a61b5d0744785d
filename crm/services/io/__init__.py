"""Contact and calendar files: readers and writers that turn bytes into records and back.

No database here: readers return ContactRecords (crm.services.io.records), which the
import service matches against the database; writers take PersonDetails.
"""
