"""Codes of the release services, scheduling, accounts and input validation."""

from __future__ import annotations


def N_(msgid: str) -> str:
    """Marks a catalog sentence for extraction (pybabel -k N_); translated at render."""
    return msgid


MESSAGES: dict[str, str] = {
    "legacy.text": N_("%(text)s"),
    # Input, field by field (pydantic errors are mapped here by type).
    "input.invalid": N_("Some fields need attention."),
    "input.not_json": N_("Send a JSON body with Content-Type: application/json."),
    "input.not_multipart": N_(
        "Send multipart/form-data with the file in the field 'file'."
    ),
    "input.too_large": N_("The request is too large: at most %(limit_bytes)s."),
    "input.too_deep": N_("The JSON nests too deeply: at most %(max)s levels."),
    "field.required": N_("This field is required."),
    "field.required_for_review": N_("Fill this in before submitting for review."),
    "field.too_long": N_("At most %(max)s characters."),
    "field.too_short": N_("At least %(min)s characters."),
    "field.too_many": N_("At most %(max)s items."),
    "field.too_few": N_("At least %(min)s items."),
    "field.choice": N_("Choose one of: %(expected)s."),
    "field.unknown": N_("This field is not known."),
    "field.not_text": N_("Enter text."),
    "field.not_integer": N_("Enter a whole number."),
    "field.not_number": N_("Enter a number."),
    "field.not_boolean": N_("Enter true or false."),
    "field.not_list": N_("Enter a list."),
    "field.not_object": N_("Enter an object."),
    "field.not_datetime": N_("Enter a date and time."),
    "field.needs_offset": N_(
        "Give the time with its UTC offset, e.g. 2026-12-01T10:00+08:00."
    ),
    "field.local_time_format": N_("Use a date and time like 2026-12-01 10:00."),
    "field.datetime_range": N_("Enter a date between the years 2000 and 2100."),
    "field.not_date": N_("Enter a date like 2026-12-01."),
    "field.too_small": N_("Use a number of at least %(min)s."),
    "field.too_large": N_("Use a number of at most %(max)s."),
    "field.invalid": N_("This value is not valid."),
    "field.not_email": N_("This is not a valid e-mail address."),
    "field.tag_too_long": N_("Each tag may have at most %(max)s characters."),
    "field.one_file": N_("Send exactly one file."),
    "field.order_incomplete": N_("List every media id once: %(ids)s."),
    "field.move_where": N_("Move up, down or first."),
    # Releases and review.
    "release.not_found": N_("Release %(id)s does not exist."),
    "release.role_cannot_write": N_("Your role may not write releases."),
    "release.role_cannot_review": N_("Only an editor may review releases."),
    "release.role_cannot_withdraw": N_("Only an editor may withdraw a release."),
    "release.withdrawn_read_only": N_(
        "A withdrawn release cannot be edited; write a new release."
    ),
    "release.not_submittable": N_(
        "Only a draft or a rejected release can be submitted; this one is %(status)s."
    ),
    "release.incomplete": N_(
        "Fill in every marked field before submitting for review."
    ),
    "release.not_in_review": N_(
        "This release is not waiting for approval; it is %(status)s."
    ),
    "release.stale_revision": N_(
        "Revision %(old)s is no longer current; review revision %(new)s."
    ),
    "release.revision_missing": N_("The form did not say which revision to approve."),
    "release.own_words": N_("An editor cannot approve a revision they contributed to."),
    "release.render_failed": N_("A channel could not be rendered: %(error)s"),
    "release.reason_required": N_("Say why."),
    "release.not_withdrawable": N_(
        "Only an approved release can be withdrawn; this one is %(status)s."
    ),
    # Channels and their texts.
    "channel.unknown": N_("The channel %(channel)s is not enabled."),
    "channel.not_overridable": N_(
        "This channel's text is made from the release; edit the release."
    ),
    "channel.cannot_send": N_(
        "%(label)s can be previewed and copied by hand, but cannot send by itself yet."
    ),
    "channel.needs_credentials": N_(
        "%(label)s cannot send until an administrator sets %(keys)s in config.yaml."
    ),
    "channel.listed_twice": N_("This channel is listed twice."),
    "channel.unavailable": N_(
        "%(label)s cannot be made on this server: %(missing)s is missing. An "
        "administrator adds it with: %(install)s"
    ),
    "system.missing": N_(
        "missing on this machine: %(missing)s (needed by %(channels)s); add it "
        "with: %(install)s"
    ),
    # Scheduling and deliveries.
    "schedule.role_cannot_schedule": N_("Only an editor may schedule releases."),
    "schedule.not_approved": N_(
        "Only an approved release can be scheduled; this one is %(status)s."
    ),
    "schedule.in_past": N_("This time has already passed."),
    "schedule.before_embargo": N_("This is before the embargo ends (%(embargo_at)s)."),
    "schedule.already_started": N_(
        "The delivery to %(channel)s is %(delivery_status)s; retry it if it failed."
    ),
    "schedule.no_channel": N_("Choose at least one channel."),
    "schedule.unknown_preset": N_(
        "There is no schedule preset called %(preset)s in config.yaml."
    ),
    "schedule.preset_empty": N_(
        "None of this preset's channels can send; choose the channels by hand."
    ),
    "schedule.preset_filled": N_(
        "Filled in from the preset “%(preset)s”. Check the channels and "
        "times, then confirm."
    ),
    "schedule.close_to_other": N_(
        "%(channel)s already carries “%(title)s” (%(number)s) at "
        "%(other_at)s, less than %(minutes)s minutes apart."
    ),
    "schedule.sent_now": N_("Sent now to %(count)s channel(s): %(channels)s."),
    "schedule.scheduled_for": N_("Scheduled for %(planned_at)s: %(channels)s."),
    "schedule.scheduled_from": N_(
        "Scheduled from %(first_at)s to %(last_at)s: %(channels)s."
    ),
    "delivery.not_found": N_("Delivery %(id)s does not exist."),
    "delivery.file_not_found": N_("This delivery has no file called %(name)s."),
    "delivery.role_cannot_change": N_("Only an editor may retry or cancel a delivery."),
    "delivery.not_retryable": N_(
        "Only a failed or unknown delivery can be tried again; this one is "
        "%(delivery_status)s."
    ),
    "delivery.release_not_public": N_(
        "The release is %(status)s, so nothing more is sent."
    ),
    "delivery.not_cancellable": N_(
        "Only a delivery that has not started can be cancelled; this one is "
        "%(delivery_status)s."
    ),
    "delivery.role_cannot_decide": N_(
        "Only an editor may decide about a delivery whose outcome is unknown or "
        "that missed its time."
    ),
    "delivery.no_decision_needed": N_(
        "Only a delivery whose outcome is unknown or that missed its time waits "
        "for a decision; this one is %(delivery_status)s."
    ),
    "delivery.decide_first": N_(
        "This delivery is %(delivery_status)s: send it again, mark it as sent or "
        "cancel it, and say why."
    ),
    "delivery.duplicate_unconfirmed": N_(
        "It may already have been posted: confirm that sending it again is acceptable."
    ),
    "field.not_web_address": N_(
        "Enter an address that starts with http:// or https://."
    ),
    # Accounts and access.
    "auth.forbidden": N_("Your role does not allow this."),
    "auth.token_missing": N_("Send Authorization: Bearer <token>."),
    "auth.token_unknown": N_("The token is unknown or revoked."),
    "auth.wait": N_(
        "Too many failed sign-ins. Wait %(seconds)s seconds before trying again."
    ),
    "auth.account_locked": N_(
        "This account is locked after too many failed sign-ins. Ask an "
        "administrator to unlock it."
    ),
    "auth.code_wrong": N_("This code is not right, or it was already used."),
    "auth.password_wrong": N_("The current password is not right."),
    "auth.password_mismatch": N_("The two new passwords differ."),
    "auth.password_changed": N_(
        "Your password was changed and you were signed out everywhere. Sign in "
        "with the new password."
    ),
    "auth.two_factor_on": N_("Two-step sign-in is on."),
    "auth.two_factor_off": N_("Two-step sign-in is off."),
    "auth.two_factor_required": N_(
        "Your office requires two-step sign-in for your role; it cannot be turned off."
    ),
    "account.password_long": N_("A password may have at most %(max)s characters."),
    "account.password_weak": N_(
        "This password is too easy to guess. Avoid common passwords, names, dates, "
        "keyboard runs and repeats; a few unrelated words make a strong one."
    ),
    "account.username_invalid": N_(
        "A username is 1–64 letters, digits, '.', '_' or '-'."
    ),
    "account.role_invalid": N_("The role must be one of: %(roles)s."),
    "account.password_short": N_("A password needs at least %(min)s characters."),
    "account.exists": N_("The user %(username)s already exists."),
    "account.not_found": N_("The user %(username)s does not exist."),
    "token.not_found": N_("No active token starts with %(prefix)s."),
    "token.ambiguous": N_("%(count)s active tokens start with %(prefix)s."),
    # HTTP answers without a more specific notice.
    "http.not_found": N_("This page or resource does not exist."),
    "http.method_not_allowed": N_("This method is not allowed here."),
    "http.bad_request": N_("The request could not be understood."),
    "http.error": N_("The request failed (HTTP %(status)s)."),
}
