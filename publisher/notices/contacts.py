"""Codes of the media contact directory: its rules, CSV imports, unsubscribing."""

from __future__ import annotations

from .core import N_

MESSAGES: dict[str, str] = {
    "contacts.not_allowed": N_("Only editors and administrators manage contacts."),
    "contacts.not_found": N_("There is no contact %(id)s."),
    "contacts.email_taken": N_("Another contact already has this e-mail address."),
    "contacts.phone_invalid": N_(
        "Write the number with digits, spaces, +, -, ( and ) only."
    ),
    "contacts.csv_not_utf8": N_(
        "The file is not UTF-8 text. Save it from the spreadsheet as "
        "“CSV UTF-8” and try again."
    ),
    "contacts.csv_columns": N_("The file's first line lacks the columns: %(columns)s."),
    "contacts.csv_unknown_columns": N_(
        "The file has columns this directory does not know: %(columns)s."
    ),
    "contacts.csv_too_many": N_("A file may hold at most %(max)s contacts."),
    "contacts.csv_extra_cells": N_("This line has more cells than the header."),
    "contacts.csv_duplicate": N_(
        "This e-mail address is already on line %(line)s of the file."
    ),
    "contacts.csv_invalid": N_(
        "Nothing was imported: %(count)s values in the file must be fixed first."
    ),
    "contacts.csv_missing": N_("Choose a CSV file to import."),
    "contacts.unsubscribe_invalid": N_(
        "This unsubscribe link is not valid. Use the link from the latest e-mail."
    ),
}
