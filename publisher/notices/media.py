"""Codes of uploads and the media library (`media.<reason>` from `uploads.Refusal`)."""

from __future__ import annotations

from .core import N_

MESSAGES: dict[str, str] = {
    "media.empty": N_("%(name)s: the file is empty."),
    "media.too_large": N_(
        "%(name)s: the file is %(size_bytes)s; at most %(limit_bytes)s is accepted."
    ),
    "media.too_many_pixels": N_(
        "%(name)s: the picture is too large; at most %(limit_megapixels)s "
        "megapixels are accepted."
    ),
    "media.too_many_pixels_counted": N_(
        "%(name)s: the picture has %(megapixels)s megapixels (%(width)s×%(height)s); "
        "at most %(limit_megapixels)s megapixels are accepted."
    ),
    "media.unsupported": N_(
        "%(name)s: this kind of file is not accepted. Upload photos as JPEG, PNG, "
        "WebP or HEIC, and documents as PDF or DOCX."
    ),
    "media.damaged": N_(
        "%(name)s: the file is damaged or incomplete. Save or download it again."
    ),
    "media.macros": N_(
        "%(name)s: Word documents with macros are not accepted; save it as an "
        "ordinary .docx."
    ),
    "media.embedded_objects": N_(
        "%(name)s: Word documents with embedded objects or controls (OLE, ActiveX) "
        "are not accepted; paste their content as text or pictures and save again."
    ),
    "media.external_content": N_(
        "%(name)s: the document loads content from elsewhere when opened "
        "(%(target)s); insert that content into the document itself and save again."
    ),
    "media.unpacks_too_large": N_(
        "%(name)s: the document would unpack to %(unpacked_bytes)s; at most "
        "%(limit_bytes)s is accepted."
    ),
    "media.compression_ratio": N_(
        "%(name)s: the document is compressed %(ratio)s times (at most %(limit)s); "
        "it is refused as a possible zip bomb."
    ),
    "media.encrypted": N_(
        "%(name)s: the PDF is protected with a password; upload it without one."
    ),
    "media.duplicate": N_("%(name)s: this file is already attached to the release."),
    "media.alt_required": N_(
        "%(name)s: write the alt text with the upload. The release is past "
        "drafting, so every photo needs a description."
    ),
    "media.alt_not_removable": N_(
        "%(name)s: the alt text cannot be removed once the release is past drafting."
    ),
    "media.alt_missing": N_(
        "Describe every image before submitting; no alt text: %(names)s."
    ),
    "media.alt_missing_for": N_(
        "Add alt text to %(name)s before submitting for review."
    ),
    "media.not_found": N_("This photo or document is not part of the release."),
    "media.file_not_found": N_("This file of the photo or document does not exist."),
    "media.too_many_files": N_("Send at most %(count)s files at once."),
    "media.no_file": N_("Choose at least one file."),
    "media.upload_too_large": N_(
        "The upload is too large. Send at most %(count)s files at once, photos of "
        "at most %(image_bytes)s and documents of at most %(document_bytes)s each."
    ),
    "media.focal_range": N_("Use a number from 0 to 1."),
}
