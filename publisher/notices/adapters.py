"""Codes channel adapters give: rendition warnings, override checks, delivery errors
and "test connection" results (see `publisher.notices`).

A parameter named `remote` (or `reason` for a system error) is the remote's own
message, verbatim; `network` is a product name; `unit` is named through
`labels.UNITS`.
"""

from __future__ import annotations

from .core import N_

MESSAGES: dict[str, str] = {
    "check.bot_in_chat": N_(
        "%(network)s accepted the bot %(account)s, and it can reach %(chat)s."
    ),
    "check.nothing_to_check": N_("Nothing to check for this channel."),
    "check.reachable": N_(
        "%(host)s answered (HTTP %(status)s); only the receiver can verify the "
        "signature."
    ),
    "check.signed_in": N_("%(network)s accepted the credentials of %(account)s."),
    "check.unreachable": N_("%(host)s answered with a server error (HTTP %(status)s)."),
    "delivery.broken_after_send": N_(
        "The connection to %(host)s broke after the release was sent (%(reason)s); "
        "check with the receiver before sending again."
    ),
    "delivery.connect_timeout": N_(
        "No connection to %(host)s within %(seconds)s s; nothing was sent."
    ),
    "delivery.connection_failed": N_(
        "Could not connect to %(host)s (%(reason)s); nothing was sent."
    ),
    "delivery.no_files": N_(
        "The rendition has no files; render it again with its files."
    ),
    "delivery.no_payload": N_("The rendition has no %(file)s; render it again."),
    "delivery.redirected": N_(
        "%(host)s redirects to %(location)s; update the channel's address."
    ),
    "delivery.destination_refused": N_(
        "%(host)s resolves to %(address)s, an address that is not public; add its "
        "network to the channel's allow_networks if it is meant to receive."
    ),
    "delivery.remote_refused": N_(
        "%(host)s refused the release (HTTP %(status)s): %(remote)s"
    ),
    "delivery.remote_unavailable": N_(
        "%(host)s could not take the release right now (HTTP %(status)s): %(remote)s"
    ),
    "delivery.timeout_after_send": N_(
        "%(host)s did not answer within %(seconds)s s of receiving the release; check "
        "with the receiver before sending again."
    ),
    "email.attach_no_file": N_("The %(name)s adapter made no file to attach."),
    "email.attach_unavailable": N_(
        "The e-mail cannot attach files of %(name)s: that adapter needs settings of "
        "its own; left out."
    ),
    "email.attach_unknown": N_(
        "The e-mail cannot attach files of %(name)s (it attaches %(known)s); left out."
    ),
    "email.attachment_large": N_(
        "The e-mail is %(size)s MB; many mail servers refuse messages over 10 MB."
    ),
    "email.certificate_untrusted": N_(
        "The certificate of %(host)s is not trusted (%(reason)s); nothing was sent."
    ),
    "email.check_login_ok": N_(
        "%(host)s answered and accepted the login of %(username)s."
    ),
    "email.check_ok": N_("%(host)s answered and is ready to send."),
    "email.command_refused": N_("%(host)s answered: %(status)s %(remote)s"),
    "email.connection_refused": N_(
        "%(host)s refused the connection: %(status)s %(remote)s"
    ),
    "email.greeting_refused": N_(
        "%(host)s refused the greeting: %(status)s %(remote)s"
    ),
    "email.login_refused": N_("%(host)s refused the login: %(status)s %(remote)s"),
    "email.message_refused": N_("%(host)s refused the message: %(status)s %(remote)s"),
    "email.no_tls": N_(
        "No secure connection (TLS) with %(host)s (%(reason)s); check the channel's "
        "security and port."
    ),
    "email.recipients_deferred": N_(
        "%(host)s asked to try these recipients again later: %(remote)s"
    ),
    "email.no_recipients": N_(
        "Nobody to mail: the groups %(groups)s have no active, subscribed contact "
        "and the channel lists no desk in `to`."
    ),
    "email.copy_unknown": N_(
        "The connection to %(host)s broke while the copy for %(address)s was "
        "being sent; it is not sent again. The other recipients are mailed on "
        "the next attempt."
    ),
    "email.recipients_refused": N_("%(host)s refused every recipient: %(remote)s"),
    "email.sender_refused": N_(
        "%(host)s refused the sender address: %(status)s %(remote)s"
    ),
    "email.server_closed": N_("%(host)s closed the connection; nothing was sent."),
    "email.setup_refused": N_(
        "%(host)s: %(remote)s. Check the channel's security, port and username."
    ),
    "email.unknown_host": N_("Cannot find the mail server %(host)s; nothing was sent."),
    "instagram.needs_picture": N_(
        "Instagram needs a picture: add an image to the release, or this post cannot "
        "be published on Instagram."
    ),
    "instagram.too_many_hashtags": N_(
        "%(count)s hashtags; Instagram allows at most %(most)s."
    ),
    "outbox.not_writable": N_("%(folder)s cannot take files: %(reason)s"),
    "outbox.unknown_group": N_(
        "There is no group %(group)s on this machine; correct `group` of the "
        "channel in config.yaml."
    ),
    "outbox.writable": N_("%(folder)s is writable."),
    "outbox.write_failed": N_("Cannot write %(file)s into %(folder)s: %(reason)s"),
    "override.empty": N_("The text is empty."),
    "override.too_long": N_("%(length)s characters, over the limit of %(limit)s."),
    "print.body_long": N_(
        "The body has %(words)s words; a printed release rarely needs more than "
        "%(most)s."
    ),
    "print.headline_empty": N_("The headline is empty."),
    "print.html_left_out": N_(
        "HTML tags in the body are not printed; use Markdown instead."
    ),
    "print.lead_empty": N_("The lead is empty; the dateline will stand on its own."),
    "print.no_contact": N_(
        "No contact person; journalists will not know whom to call."
    ),
    "print.no_english_about": N_(
        "The organization has no English 'About' text (about_en); it is left out of "
        "this English release."
    ),
    "print.photo_not_printable": N_(
        "Photo %(image)s has no local file that can be printed; it is left out."
    ),
    "print.picture_left_out": N_(
        "Pictures inside the body text are not printed; add them as release images."
    ),
    "print.picture_not_in_docx": N_(
        "%(file)s could not be put into the DOCX; it is left out there."
    ),
    "radio.cut_runs_over": N_(
        "Even the title and lead take about %(seconds)s s to read: the "
        "%(budget)s-second version stops after the lead and runs over."
    ),
    "radio.longer_than_slot": N_(
        "The script takes about %(seconds)s s to read, longer than the %(slot)s s slot."
    ),
    "radio.more_long_sentences": N_(
        "… and %(count)s more sentences too long for one breath."
    ),
    "radio.sentence_too_long": N_(
        "A sentence of %(words)s spoken words is too long to read in one breath: "
        "“%(sentence)s …”"
    ),
    "radio.unknown_abbreviations": N_(
        "Abbreviations not in the glossary are read as written: %(terms)s. Add how to "
        "say them under glossary: in config.yaml."
    ),
    "rss.lead_empty": N_("The lead is empty; the feed summary will be blank."),
    "social.container_failed": N_("%(network)s could not prepare the post: %(remote)s"),
    "social.container_unfinished": N_(
        "%(network)s was still preparing the post after %(seconds)s s; nothing was "
        "published, it will be tried again."
    ),
    "social.image_not_public": N_(
        "%(network)s fetches the picture from its public address, but %(url)s is "
        "not reachable from the internet; set organization.public_url to the "
        "address the public uses."
    ),
    "social.prepare_unanswered": N_(
        "%(host)s did not answer while the post was being prepared (%(reason)s); "
        "nothing was published, it will be tried again."
    ),
    "social.cannot_send": N_(
        "%(network)s cannot send by itself yet; copy the text from the preview."
    ),
    "social.hashtag_unusable": N_(
        "“%(tag)s” cannot be a hashtag (it needs a letter and at most %(most)s "
        "characters); left out."
    ),
    "social.hashtags_left_out": N_("Hashtags left out for room: %(tags)s."),
    "social.headline_cut": N_(
        "Even the headline was too long for the post and was cut."
    ),
    "social.lead_cut": N_("The lead was cut mid-sentence to fit; check it reads well."),
    "social.link_too_long": N_("The link alone is longer than %(network)s allows."),
    "social.no_link": N_("The release has no public address, so the post has no link."),
    "social.not_a_link": N_(
        "%(network)s does not see %(link)s as a web address (its domain ending is not "
        "a public one), so it is neither a link nor counted as 23 characters."
    ),
    "social.one_hashtag": N_(
        "%(network)s takes one hashtag, the post's topic: %(tag)s. To choose another, "
        "put it first in the release's tags."
    ),
    "social.override_no_link": N_(
        "The edited text has no link to the release's public page."
    ),
    "social.media_processing": N_(
        "%(network)s is still processing the image; the post will be tried again later."
    ),
    "social.shortened": N_(
        "Shortened to fit %(network)s's limit of %(limit)s %(unit)s: %(dropped)s "
        "sentence(s) left out. Edit this channel's text to choose the words yourself."
    ),
    "social.step_unanswered": N_(
        "%(host)s did not answer in time while preparing the post (%(step)s); nothing "
        "was posted on %(network)s, it will be tried again."
    ),
    "social.subtitle_left_out": N_("The subtitle was left out for room."),
    "social.thread": N_(
        "Posted as a thread of %(posts)s posts, numbered 1/%(posts)s to "
        "%(posts)s/%(posts)s."
    ),
    "social.thread_incomplete": N_(
        "Only %(posted)s of %(posts)s posts of the thread went out on %(network)s "
        "(%(reason)s); the first is at %(url)s. Post the rest by hand; it is not "
        "sent again."
    ),
    "social.thread_post_too_long": N_(
        "Post %(post)s of %(posts)s is too long for %(network)s: %(length)s %(unit)s, "
        "over the limit of %(limit)s. Shorten it by hand."
    ),
    "social.thread_truncated": N_(
        "The thread stops after %(most)s posts; the rest is on the public page."
    ),
    "social.too_long": N_(
        "The post is too long for %(network)s: %(length)s %(unit)s, over the limit of "
        "%(limit)s. Shorten it by hand."
    ),
    "social.too_many_hashtags": N_(
        "%(network)s takes at most %(most)s hashtags; left out: %(tags)s."
    ),
    "telegram.caption_too_long": N_(
        "Too long for a photo caption (%(length)s of %(limit)s characters): the text "
        "goes as a message and the picture follows on its own."
    ),
    "telegram.tag_misclosed": N_("</%(tag)s> does not close the tag opened before it."),
    "telegram.tag_unclosed": N_("<%(tag)s> is never closed."),
    "telegram.tag_unsupported": N_("Telegram does not support the <%(tag)s> tag."),
    "telegram.unescaped": N_("Write &lt;, &gt; and &amp; for <, > and & outside tags."),
    "threads.too_many_links": N_("%(count)s links; Threads allows at most %(most)s."),
    "threads.topic_first_hashtag": N_(
        "Threads makes only the first hashtag (%(tag)s) the post's topic; the others "
        "stay plain text."
    ),
    "whatsapp.partly_sent_refused": N_(
        "Sent to %(sent)s; WhatsApp refused the message to %(recipient)s: "
        "%(remote)s. Still waiting: %(pending)s."
    ),
    "whatsapp.partly_sent_retrying": N_(
        "Sent to %(sent)s; %(pending)s will get it on the next try (%(remote)s). "
        "Nobody gets it twice."
    ),
    "whatsapp.partly_sent_unknown": N_(
        "Sent to %(sent)s; the message to %(recipient)s may have arrived (%(remote)s). "
        "Check with them before sending again. Still waiting: %(pending)s."
    ),
    "wordpress.broken_after_send": N_(
        "The connection to %(host)s broke after the post was sent (%(reason)s); it "
        "may be on the site. Sending again is safe: the post is found by its slug "
        "%(slug)s and updated, not published twice."
    ),
    "wordpress.cannot_publish": N_(
        "Signed in to %(host)s as %(name)s, but this user lacks %(missing)s; give "
        "the user the Author or Editor role."
    ),
    "wordpress.not_json": N_(
        "%(host)s answered HTTP %(status)s without JSON; check that the address is "
        "the WordPress site and that its REST API (/wp-json/) is open."
    ),
    "wordpress.signed_in": N_(
        "Signed in to %(host)s as %(name)s (%(roles)s), allowed to publish posts "
        "and upload pictures."
    ),
    "wordpress.step_unanswered": N_(
        "%(host)s did not answer %(step)s in time; nothing was published yet, so it "
        "will be tried again."
    ),
    "wordpress.tag_too_long": N_(
        "The tag %(tag)s is longer than WordPress allows (%(most)s characters) and "
        "is left out."
    ),
    "wordpress.timeout_after_send": N_(
        "%(host)s did not answer within %(seconds)s s of receiving the post; it may "
        "be on the site. Sending again is safe: the post is found by its slug "
        "%(slug)s and updated, not published twice."
    ),
}
